package dev.cutter.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;

/**
 * {@code cutter completion bash|zsh|fish}: a completion script for the shell, made from the
 * command line's own model, so it names every command and option there is. Bash's is picocli's;
 * zsh loads the same through bashcompinit (the script does so itself); fish's is written here,
 * one {@code complete} line per command and option.
 */
@Command(footer = {"%nExamples:", "  source <(cutter completion bash)          # in ~/.bashrc",
        "  source <(cutter completion zsh)           # in ~/.zshrc",
        "  cutter completion fish > ~/.config/fish/completions/cutter.fish"},
        name = "completion",
        description = "Print the completion script of a shell (bash, zsh or fish) for every cutter command and option.")
final class CompletionCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SHELL", description = "bash, zsh or fish.")
    String shell;

    @CommandLine.Mixin
    Wiring wiring;

    @CommandLine.Mixin
    JsonOption json;

    @Override
    public Integer call() {
        // the whole model: the command line this runs in holds only the command asked for
        PrintWriter none = new PrintWriter(Writer.nullWriter());
        CommandLine all = Cutter.commandLine(none, none, wiring.services());
        String script = switch (shell) {
            case "bash", "zsh" -> AutoComplete.bash("cutter", all);
            case "fish" -> fish(all);
            default -> throw new CommandFailure(ExitCode.BAD_INPUT, "cutter completion " + shell + ": the shells are bash, zsh and fish");
        };
        if (json.json) {
            JsonOption.print(wiring.out(), java.util.Map.of("shell", shell, "script", script));
        } else {
            wiring.out().print(script);
            wiring.out().flush();
        }
        return ExitCode.OK;
    }

    /** Fish's completions: each command offered where its parent is the last command given, each option under its command. */
    static String fish(CommandLine root) {
        StringBuilder out = new StringBuilder("# fish completion for cutter, written by `cutter completion fish`\n"
                + "complete -c cutter -f\n");
        fish(root, List.of(), out);
        return out.toString();
    }

    private static void fish(CommandLine command, List<String> path, StringBuilder out) {
        String here = condition(command, path);
        for (var sub : command.getSubcommands().entrySet()) {
            out.append("complete -c cutter -n ").append(quote(here)).append(" -a ").append(quote(sub.getKey()))
                    .append(" -d ").append(quote(summary(sub.getValue().getCommandSpec()))).append('\n');
        }
        for (OptionSpec option : command.getCommandSpec().options()) {
            if (option.hidden()) {
                continue;
            }
            out.append("complete -c cutter -n ").append(quote(here));
            for (String name : option.names()) {
                out.append(name.startsWith("--") ? " -l " + quote(name.substring(2)) : " -s " + quote(name.substring(1)));
            }
            if (option.arity().max() > 0) {
                out.append(" -r");
                if (option.completionCandidates() != null) {
                    List<String> candidates = new ArrayList<>();
                    option.completionCandidates().forEach(candidates::add);
                    out.append(" -a ").append(quote(String.join(" ", candidates)));
                } else {
                    out.append(" -F");
                }
            }
            out.append(" -d ").append(quote(summary(option.description()))).append('\n');
        }
        for (var sub : command.getSubcommands().entrySet()) {
            List<String> deeper = new ArrayList<>(path);
            deeper.add(sub.getKey());
            fish(sub.getValue(), deeper, out);
        }
    }

    /** Fish's test that the words so far name exactly the commands of {@code path}, and no subcommand of it yet. */
    private static String condition(CommandLine command, List<String> path) {
        List<String> tests = new ArrayList<>();
        if (path.isEmpty()) {
            tests.add("__fish_use_subcommand");
        } else {
            for (String name : path) {
                tests.add("__fish_seen_subcommand_from " + name);
            }
            if (!command.getSubcommands().isEmpty()) {
                tests.add("not __fish_seen_subcommand_from " + String.join(" ", command.getSubcommands().keySet()));
            }
        }
        return String.join("; and ", tests);
    }

    private static String summary(CommandSpec spec) {
        return summary(spec.usageMessage().description());
    }

    /** The first sentence of a description, for one line of a completion menu. */
    private static String summary(String[] description) {
        String text = description.length == 0 ? "" : description[0];
        int end = text.indexOf(". ");
        return (end < 0 ? text : text.substring(0, end + 1)).replace("%n", " ");
    }

    /** A fish word in single quotes: only {@code \} and {@code '} are special there. */
    private static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
