package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutter.plan.PlanJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line's surface, command by command: help, usage errors, --json, exit codes. */
class CommandLineTest {
    @TempDir
    Path dir;

    /** Every subcommand's path (e.g. [runs, list]), as the picocli model holds them. */
    private static List<List<String>> subcommands(CommandLine command, List<String> path) {
        List<List<String>> all = new ArrayList<>();
        command.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help")) {
                return;
            }
            List<String> here = new ArrayList<>(path);
            here.add(name);
            all.add(here);
            all.addAll(subcommands(sub, here));
        });
        return all;
    }

    static List<List<String>> everySubcommand() {
        return subcommands(Cutter.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), List.of());
    }

    private static CliTest.Result run(List<String> path, String... more) {
        List<String> args = new ArrayList<>(path);
        args.addAll(List.of(more));
        return CliTest.run(args.toArray(String[]::new));
    }

    @Test
    void everySubcommandAnswersHelpWithItsUsage() {
        List<List<String>> commands = everySubcommand();
        assertThat(commands).contains(List.of("verify"), List.of("emit"), List.of("repo", "remove"), List.of("runs", "list"));

        for (List<String> command : commands) {
            for (String help : List.of("--help", "-h")) {
                CliTest.Result result = run(command, help);

                assertThat(result.code()).as(command + " " + help + ": " + result.err()).isZero();
                assertThat(result.out()).as(command + " " + help).startsWith("Usage: cutter " + String.join(" ", command));
            }
        }
    }

    @Test
    void onlyTheTopCommandHasMinusCapitalV() {
        CommandLine cli = Cutter.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        for (List<String> command : everySubcommand()) {
            CommandLine sub = cli;
            for (String name : command) {
                sub = sub.getSubcommands().get(name);
            }
            CliTest.Result result = run(command, "-V");

            assertThat(sub.getCommandSpec().findOption("-V")).as(command + " -V").isNull();
            assertThat(result.code()).as(command + " -V").isEqualTo(ExitCode.BAD_INPUT);
            assertThat(result.err()).as(command + " -V").isNotEmpty();
        }
        assertThat(CliTest.run("runs", "list", "-V").err()).contains("Unknown option: '-V'");
        assertThat(CliTest.run("copy", "-V").err()).contains("Unknown option: '-V'");
        assertThat(CliTest.run("-V").out()).startsWith("cutter ");
    }

    /** Cutter's start is mostly picocli reflecting over commands: the version needs none of them. */
    @Test
    void theVersionBuildsNoSubcommandAndAnyOneCommandOnlyItself() {
        PrintWriter sink = new PrintWriter(new StringWriter());
        assertThat(Cutter.commandLine(sink, sink, new String[] {"--version"}).getSubcommands()).isEmpty();
        assertThat(Cutter.commandLine(sink, sink, new String[] {"-V"}).getSubcommands()).isEmpty();
        assertThat(Cutter.commandLine(sink, sink, new String[] {"plan", "-f", "x.yaml"}).getSubcommands()).containsOnlyKeys("plan");
        assertThat(Cutter.commandLine(sink, sink, new String[0]).getSubcommands()).containsKeys("plan", "release", "repo", "help");
        assertThat(CliTest.run("--version").out()).startsWith("cutter ");
    }

    @Test
    void theSubcommandsVersionOptionsKeepTheirMeaning() {
        CliTest.Result verify = CliTest.run("verify", "--help");
        CliTest.Result remove = CliTest.run("repo", "remove", "--help");
        CliTest.Result promote = CliTest.run("promote", "--help");

        assertThat(verify.out()).contains("--version=VERSION");
        assertThat(remove.out()).contains("--version=VERSION");
        assertThat(promote.out()).contains("--to, --version=VERSION");
    }

    @Test
    void aMistypedCommandIsAnsweredWithTheOneMeant() {
        CliTest.Result result = CliTest.run("relase");

        assertThat(result.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(result.err()).contains("Unmatched argument at index 0: 'relase'").contains("Did you mean: cutter release");
    }

    @Test
    void aPromotionOfACandidateNeverReleasedSaysSoAndIsRefused() throws IOException {
        Path spec = spec();

        CliTest.Result result = CliTest.run("promote", "-f", spec.toString(), "--ledger", dir.resolve("ledger.db").toString(),
                "--from", "0.9.0-beta", "--version", "0.9.0");

        assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(result.out()).contains("cannot promote v0.9.0-beta: it was never released here");
    }

    @Test
    void validateAndPromoteAnswerInJson() throws Exception {
        Path spec = spec();

        CliTest.Result validated = CliTest.run("validate", "-f", spec.toString(), "--json");
        CliTest.Result promoted = CliTest.run("promote", "-f", spec.toString(), "--ledger", dir.resolve("ledger.db").toString(),
                "--from", "0.9.0-beta", "--to", "0.9.0", "--json");

        assertThat(validated.code()).as(validated.err()).isZero();
        JsonNode v = PlanJson.mapper().readTree(validated.out());
        assertThat(v.path("project").asText()).isEqualTo("demo");
        assertThat(v.path("builds").asInt()).isEqualTo(1);
        assertThat(promoted.code()).isEqualTo(ExitCode.REFUSED);
        JsonNode p = PlanJson.mapper().readTree(promoted.out());
        assertThat(p.path("status").asText()).isEqualTo("refused");
        assertThat(p.path("message").asText()).contains("never released here");
    }

    @Test
    void everyCommandWithAnOutcomeTakesJson() {
        for (String command : List.of("validate", "plan", "release", "promote", "verify", "trigger", "inspect", "copy", "emit")) {
            assertThat(CliTest.run(command, "--help").out()).as(command).contains("--json");
        }
    }

    @Test
    void aFailureUnderJsonIsAlsoOneErrorObjectOnStandardOutput() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "project: demo\nbuilds: [ { id: b, rnu: \"true\" } ]\n");

        CliTest.Result spec = CliTest.run("validate", "-f", bad.toString(), "--json");
        CliTest.Result usage = CliTest.run("release", "--json", "--parallel", "many");
        CliTest.Result plan = CliTest.run("plan", "-f", spec().toString(), "--json");

        assertThat(spec.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(spec.err()).contains("bad.yaml:2:");
        JsonNode s = PlanJson.mapper().readTree(spec.out()).path("error");
        assertThat(s.path("code").asInt()).isEqualTo(2);
        assertThat(s.path("errors").get(0).path("location").asText()).startsWith(bad + ":2:");
        assertThat(s.path("errors").get(0).path("field").asText()).startsWith("builds[0]");
        assertThat(s.path("errors").toString()).contains("rnu");
        assertThat(usage.code()).isEqualTo(ExitCode.BAD_INPUT);
        JsonNode u = PlanJson.mapper().readTree(usage.out()).path("error");
        assertThat(u.path("code").asInt()).isEqualTo(2);
        assertThat(u.path("option").asText()).isEqualTo("--parallel");
        assertThat(plan.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(PlanJson.mapper().readTree(plan.out()).path("error").path("message").asText()).contains("give --tag TAG or --version");
    }

    @Test
    void runsListJsonWritesStatesAndKindsInLowerCaseAsTheApiDoes() throws IOException {
        Path spec = spec();
        CliTest.run("promote", "-f", spec.toString(), "--ledger", dir.resolve("ledger.db").toString(), "--from", "0.9.0-beta",
                "--to", "0.9.0");
        CliTest.Result release = CliTest.run("release", "-f", spec.toString(), "--ledger", dir.resolve("ledger.db").toString(),
                "--version", "1.0.0");
        assertThat(release.code()).as(release.out() + release.err()).isZero();

        CliTest.Result listed = CliTest.run("runs", "list", "-f", spec.toString(), "--ledger", dir.resolve("ledger.db").toString(),
                "--json");

        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("\"kind\" : \"release\"").contains("\"state\" : \"succeeded\"")
                .doesNotContain("RELEASE", "SUCCEEDED");
    }

    static String helpAt(int columns, List<String> command) {
        java.util.Map<String, String> environment = new java.util.HashMap<>(System.getenv());
        environment.put("COLUMNS", String.valueOf(columns));
        StringWriter out = new StringWriter();
        List<String> args = new ArrayList<>(command);
        args.add("--help");
        int code = Cutter.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                new dev.cutter.app.Services(environment, java.time.Clock.systemUTC(), Path.of(""))).execute(args.toArray(String[]::new));
        assertThat(code).isZero();
        return out.toString();
    }

    @Test
    void helpWrapsAtTheTerminalsWidthOnlyBetweenWordsAndEndsWithTheExitCodes() {
        for (List<String> command : everySubcommand()) {
            String help = helpAt(70, command);

            assertThat(help.lines()).as(command.toString())
                    .allSatisfy(line -> assertThat(line.length() <= 70 || !line.strip().contains(" ")).as(line).isTrue());
            assertThat(help).as(command.toString()).contains("Exit codes:", "  3    refused by a law");
        }
        String release = helpAt(70, List.of("release"));
        assertThat(release).contains("[--[no-]fail-fast]", ".cutter/ledger.db", "execution.fail-fast", "[--tag=TAG | --version=VERSION]",
                "Which version, one or the other", "Examples:", "  cutter release --tag v1.2.3");
        assertThat(release.lines().filter(l -> l.endsWith("[--[no-]") || l.endsWith(" ."))).isEmpty();
        for (String command : List.of("validate", "plan", "release", "promote", "verify", "trigger", "emit", "copy", "inspect")) {
            assertThat(helpAt(100, List.of(command))).as(command).contains("Examples:\n  cutter " + command);
        }
    }

    private Path spec() throws IOException {
        Path file = dir.resolve("cutter.yaml");
        Files.writeString(file, """
                project: demo
                version: { tag: "v{version}" }
                builds: [ { id: b, run: "true" } ]
                """);
        return file;
    }
}
