package dev.cutter.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/** Programs on this machine, through {@link ProcessBuilder}. */
final class LocalProcessRunner implements ProcessRunner {
    static final LocalProcessRunner INSTANCE = new LocalProcessRunner();

    private LocalProcessRunner() {}

    @Override
    public Result run(Command command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command.argv()).redirectErrorStream(command.mergeErr());
        command.dir().ifPresent(d -> builder.directory(d.toFile()));
        if (command.clearEnv()) {
            builder.environment().clear();
        }
        builder.environment().putAll(command.env());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ProcessRunner.CannotStart(e.getMessage(), e); // names the program already
        }
        try {
            // both outputs drain while the input is written, so a program that prints before it reads cannot block on a full pipe
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = command.mergeErr() ? CompletableFuture.completedFuture("") : drain(process.getErrorStream());
            try (OutputStream in = process.getOutputStream()) {
                if (command.stdin().isPresent()) {
                    in.write(command.stdin().get().getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException ignored) {
                // the program may exit without reading its input; its exit status tells
            }
            if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new ProcessRunner.TimedOut(command.program() + " did not finish within " + command.timeout().toSeconds() + " s");
            }
            return new Result(process.exitValue(), join(out), join(err));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Thread.ofVirtual()::start);
    }

    private static String join(CompletableFuture<String> output) throws IOException {
        try {
            return output.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw e;
        }
    }
}
