package dev.cutter.spec;

import static dev.cutter.spec.SpecTexts.assertFaults;
import static dev.cutter.spec.SpecTexts.errors;
import static dev.cutter.spec.SpecTexts.fault;
import static dev.cutter.spec.SpecTexts.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every way {@code cutter.yaml} can be wrong is reported with the line and column of the fault,
 * the field path and a message that says what to write instead.
 */
class SpecLoaderFaultsTest {

    @Nested
    class Reporting {
        @Test
        void aFaultPrintsAsFileLineColumnFieldPathAndMessage() {
            List<SpecError> errors = errors("""
                    project: demo
                    builds:
                      - id: bin
                        run: "go build -ldflags=-X=main.v={verison}"
                    """);

            assertThat(errors).singleElement().hasToString(
                    "cutter.yaml:4:39: builds[0].run: unknown placeholder {verison}; did you mean {version}?");
        }

        @Test
        void theExceptionMessageListsEveryFaultOnItsOwnLine() {
            String yaml = """
                    project: demo
                    builds:
                      - id: bin
                        run: "make {verison}"
                        retries: lots
                    """;

            assertThatThrownBy(() -> load(yaml)).isInstanceOf(SpecException.class).hasMessage("""
                    cutter.yaml:4:16: builds[0].run: unknown placeholder {verison}; did you mean {version}?
                    cutter.yaml:5:14: builds[0].retries: expected a whole number, found a string""");
        }

        @Test
        void aFaultWithoutAFieldPathPrintsWithoutOne() {
            List<SpecError> errors = errors("""
                    version:
                      tag: "v{version}"
                    """);

            assertThat(errors).singleElement()
                    .hasToString("cutter.yaml:1:1: missing required field 'project'; add e.g. project: my-app");
        }

        @Test
        void severalFaultsComeInOneExceptionSortedByLine() {
            assertFaults("""
                    project: demo
                    registries:
                      local: { layout: dist/oci }
                    images:
                      - id: app
                        platforms: [linux/amd64]
                        push: "lcoal/app"
                        tags: ["{version}"]
                    builds:
                      - id: bin
                        run: "make {verison}"
                        retries: lots
                    notifiy: []
                    """).containsExactly(
                    fault(7, 12, "images[0].push", "unknown registry 'lcoal'; did you mean 'local'?"),
                    fault(11, 16, "builds[0].run", "unknown placeholder {verison}; did you mean {version}?"),
                    fault(12, 14, "builds[0].retries", "expected a whole number, found a string"),
                    fault(13, 1, "notifiy", "unknown key; did you mean 'notify'?"));
        }

        @Test
        void faultsOnOneLineAreOrderedByColumn() {
            List<SpecError> errors = errors("""
                    project: demo
                    builds:
                      - id: bin
                        platforms: [Linux/amd64, linux, linux/arm64, linux/arm/v7/extra]
                        run: make
                    """);

            assertThat(errors).extracting(e -> e.location().column()).containsExactly(17, 30, 50);
        }
        @Test
        void aMissingSpecFileIsNamedWithoutALineAndSaysWhatToPass() {
            java.nio.file.Path missing = java.nio.file.Path.of("no", "such", "cutter.yaml");

            assertThatThrownBy(() -> dev.cutter.kinds.Capabilities.specLoader().load(missing)).isInstanceOfSatisfying(SpecException.class, e -> {
                assertThat(e.errors()).singleElement().satisfies(error -> {
                    assertThat(error.location()).isEqualTo(Location.UNKNOWN);
                    assertThat(error.file()).isEqualTo(missing);
                });
                assertThat(e).hasMessage(missing + ": file not found; pass an existing cutter.yaml with -f");
            });
        }

        @Test
        void aFaultWithoutAFilePrintsAPlaceholderName() {
            assertThat(new SpecError(null, new Location(2, 3), "builds", "m")).hasToString("<spec>:2:3: builds: m");
        }

        @Test
        void suggestionsAreCaseInsensitiveAndOnlyForLikelyTypos() {
            assertThat(Problems.suggestion("verison", List.of("project", "version"))).isEqualTo("version");
            assertThat(Problems.suggestion("IMAGES", List.of("builds", "images"))).isEqualTo("images");
            assertThat(Problems.suggestion("colour", List.of("project", "version"))).isNull();
            assertThat(Problems.suggestion("x", List.of())).isNull();
        }
    }

    @Nested
    class Project {
        @Test
        void missingProjectIsReportedAtTheTopOfTheFile() {
            assertFaults("""
                    version:
                      tag: "v{version}"
                    """).containsExactly(fault(1, 1, "", "missing required field 'project'; add e.g. project: my-app"));
        }

        @Test
        void emptyProjectIsReportedAtItsKey() {
            assertFaults("""
                    vars: {}
                    project: ""
                    """).containsExactly(fault(2, 1, "project", "must not be empty; write e.g. project: my-app"));
        }

        @Test
        void projectNameWithASpaceIsRejected() {
            assertFaults("""
                    project: "my app"
                    """).containsExactly(fault(1, 1, "project",
                    "'my app' is not a project name; use letters, digits, '.', '_' and '-'"));
        }

        @Test
        void aMapWhereTheProjectNameGoesIsOneWrongTypeFault() {
            assertFaults("""
                    project: { name: demo }
                    """).containsExactly(fault(1, 10, "project", "expected a single value, found a map"));
        }

        @Test
        void aDocumentThatIsNotAMapSaysSo() {
            assertFaults("""
                    - project: demo
                    """).contains(fault(1, 1, "", "expected a map (key: value lines), found a list"));
        }

        @Test
        void anEmptyFileStillNeedsAProject() {
            assertFaults("").containsExactly(
                    fault(1, 1, "", "missing required field 'project'; add e.g. project: my-app"));
        }
    }

    @Nested
    class UnknownKeys {
        @Test
        void unknownTopLevelKeyIsReportedAtItsLineWithTheClosestKnownKey() {
            assertFaults("""
                    project: demo
                    versoin:
                      tag: "v{version}"
                    """).containsExactly(fault(2, 1, "versoin", "unknown key; did you mean 'version'?"));
        }

        @Test
        void unknownTopLevelKeyFarFromAnySectionListsTheSections() {
            assertFaults("""
                    project: demo
                    colour: blue
                    """).containsExactly(fault(2, 1, "colour",
                    "unknown key; known keys here: " + String.join(", ", dev.cutter.kinds.Capabilities.specLoader().keys())));
        }

        @Test
        void unknownKeysInsideBuildsAndImagesAreReportedWithTheirEntryPath() {
            assertFaults("""
                    project: demo
                    registries:
                      local: { layout: dist/oci }
                    builds:
                      - id: bin
                        run: make
                        ouputs: [dist/bin]
                    images:
                      - id: app
                        platforms: [linux/amd64]
                        push: local/app
                        tags: ["{version}"]
                        lables: { maintainer: me }
                    """).containsExactly(
                    fault(7, 5, "builds[0].ouputs", "unknown key; did you mean 'outputs'?"),
                    fault(13, 5, "images[0].lables", "unknown key; did you mean 'labels'?"));
        }

        @Test
        void unknownKeyOfTheSecondEntryNamesThatEntry() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: make
                      - id: docs
                        run: make docs
                        neds: [bin]
                    """).containsExactly(fault(7, 5, "builds[1].neds", "unknown key; did you mean 'needs'?"));
        }

        @Test
        void unknownKeyInsideARegistryIsReported() {
            assertFaults("""
                    project: demo
                    registries:
                      hub: { url: registry.example.com, insecur: true }
                    """).containsExactly(fault(3, 37, "registries.hub.insecur", "unknown key; did you mean 'insecure'?"));
        }
    }

    @Nested
    class WrongTypes {
        @Test
        void aMapWhereAStringIsExpected() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: { cmd: make }
                    """).containsExactly(fault(4, 10, "builds[0].run", "expected a single value, found a map"));
        }

        @Test
        void aListWhereAStringIsExpected() {
            assertFaults("""
                    project: demo
                    version:
                      tag: [v1]
                    """).contains(fault(3, 8, "version.tag", "expected a single value, found a list"));
        }

        @Test
        void aMapWhereAListIsExpected() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: make
                        needs: { gen: true }
                    """).containsExactly(fault(5, 12, "builds[0].needs", "expected a list, found a map"));
        }

        @Test
        void aStringWhereAnAxisListIsExpected() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        matrix: { go: "1.22" }
                        run: make
                    """).containsExactly(fault(4, 20, "builds[0].matrix.go",
                    "an axis is a list of values or a map of named values, found a string"));
        }

        @Test
        void aSingleStringWhereAListOfStringsIsExpectedIsAListOfOne() {
            Spec spec = load("""
                    project: demo
                    builds:
                      - id: gen
                        run: make gen
                      - id: bin
                        run: make
                        needs: gen
                    """);

            assertThat(dev.cutter.kinds.build.BuildSection.SECTION.of(spec).get(1).needs()).containsExactly("gen");
        }

        @Test
        void aStringWhereABooleanIsExpected() {
            assertFaults("""
                    project: demo
                    execution:
                      fail-fast: "maybe"
                    """).containsExactly(fault(3, 15, "execution.fail-fast", "expected true or false, found a string"));
        }

        @Test
        void aStringWhereAWholeNumberIsExpected() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: make
                        retries: many
                    """).containsExactly(fault(5, 14, "builds[0].retries", "expected a whole number, found a string"));
        }

        @Test
        void aQuotedNumberIsAStringNotAWholeNumber() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: make
                        concurrency: "2"
                    """).containsExactly(fault(5, 19, "builds[0].concurrency", "expected a whole number, found a string"));
        }

        @Test
        void aFractionOrANegativeNumberIsNotACount() {
            assertFaults("""
                    project: demo
                    execution:
                      parallel: 1.5
                    builds:
                      - id: bin
                        run: make
                        retries: -1
                    """).containsExactly(
                    fault(3, 13, "execution.parallel", "expected a whole number, found a number"),
                    fault(7, 14, "builds[0].retries", "must be a whole number of at least 0, found -1"));
        }

        @Test
        void aDurationThatIsNotOne() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: make
                        timeout: forever
                    """).containsExactly(fault(5, 14, "builds[0].timeout",
                    "'forever' is not a duration; write e.g. 90s, 10m or 1h30m (1s to 7 days)"));
        }

        @Test
        void aValueOutsideAChoiceSuggestsTheClosestOne() {
            assertFaults("""
                    project: demo
                    version:
                      tag: "v{version}"
                      scheme: semvr
                    """).containsExactly(fault(4, 11, "version.scheme", "'semvr' is not one of semver, loose; did you mean 'semver'?"));
        }

        @Test
        void aSectionThatIsAStringInsteadOfAMap() {
            assertFaults("""
                    project: demo
                    execution: fast
                    """).containsExactly(fault(2, 12, "execution", "expected a map (key: value lines), found a string"));
        }
    }

    @Nested
    class Placeholders {
        @Test
        void misspelledPlaceholderInAQuotedScalarPointsAtItsBraceAndSuggestsTheKnownOne() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: "echo {verison}"
                    """).containsExactly(fault(4, 16, "builds[0].run", "unknown placeholder {verison}; did you mean {version}?"));
        }

        @Test
        void misspelledPlaceholderInAPlainScalarPointsAtItsBrace() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: echo {verison}
                    """).containsExactly(fault(4, 15, "builds[0].run", "unknown placeholder {verison}; did you mean {version}?"));
        }

        @Test
        void misspelledPlaceholderInASingleQuotedScalarPointsAtItsBrace() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: 'echo {verison}'
                    """).containsExactly(fault(4, 16, "builds[0].run", "unknown placeholder {verison}; did you mean {version}?"));
        }

        @Test
        void placeholderNothingResemblesListsThoseKnownHere() {
            List<SpecError> errors = errors("""
                    project: demo
                    builds:
                      - id: bin
                        run: "echo {checksum}"
                    """);

            assertThat(errors).singleElement().satisfies(e -> {
                assertThat(e.location()).isEqualTo(new Location(4, 16));
                assertThat(e.message()).isEqualTo("unknown placeholder {checksum}; known here: {version} {major} {minor}"
                        + " {patch} {prerelease} {channel} {channel.suffix} {sha} {short_sha} {date} {project}");
            });
        }

        @Test
        void undeclaredVariableSuggestsTheDeclaredOneOrHowToDeclareIt() {
            assertFaults("""
                    project: demo
                    vars:
                      BUILD_TAGS: ""
                    builds:
                      - id: bin
                        run: "go build -tags '{vars.BUILD_TAG}'"
                      - id: lib
                        run: "echo {vars.SIGNING_KEY_ID}"
                    """).containsExactly(
                    fault(6, 27, "builds[0].run", "unknown variable {vars.BUILD_TAG}; did you mean {vars.BUILD_TAGS}?"),
                    fault(8, 16, "builds[1].run",
                            "unknown variable {vars.SIGNING_KEY_ID}; declare it under vars:, e.g. vars: { SIGNING_KEY_ID: \"\" }"));
        }

        @Test
        void platformPlaceholderOnAnEntryWithoutPlatformsSaysToAddThem() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: "make GOARCH={platform.arch}"
                    """).containsExactly(fault(4, 23, "builds[0].run",
                    "unknown placeholder {platform.arch}; {platform…} needs platforms: on this entry"));
        }

        @Test
        void platformPlaceholderInAnImageTagDoesNotClaimTheImageLacksPlatforms() {
            List<SpecError> errors = errors("""
                    project: demo
                    registries:
                      local: { layout: dist/oci }
                    images:
                      - id: app
                        platforms: [linux/amd64, linux/arm64]
                        push: local/app
                        tags: ["{version}-{platform.arch}"]
                    """);

            // tags name one multi-arch index for all platforms, so {platform…} has no single value there
            assertThat(errors).singleElement().satisfies(e -> {
                assertThat(e.location()).isEqualTo(new Location(8, 23));
                assertThat(e.path()).isEqualTo("images[0].tags[0]");
                assertThat(e.message()).startsWith("unknown placeholder {platform.arch}")
                        .doesNotContain("needs platforms: on this entry");
            });
        }

        @Test
        void axisFieldMissingFromOneValueNamesTheFieldsAllValuesHave() {
            assertFaults("""
                    project: demo
                    registries:
                      local: { layout: dist/oci }
                    images:
                      - id: app
                        matrix:
                          variant:
                            standard: { base: "debian:bookworm-slim", suffix: "" }
                            alpine:   { suffix: "-alpine" }
                        platforms: [linux/amd64]
                        from: "{variant.base}"
                        push: local/app
                        tags: ["{version}{variant.suffix}"]
                    """).containsExactly(fault(11, 12, "images[0].from",
                    "{variant.base}: not every value of axis 'variant' has a field 'base'; fields they all have: suffix"));
        }

        @Test
        void placeholderSyntaxErrorPointsAtTheBrace() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: "echo {version"
                      - id: lib
                        run: "echo version}"
                    """).containsExactly(
                    fault(4, 16, "builds[0].run", "unclosed '{'; close the placeholder with '}' or write '{{' for a literal brace"),
                    fault(6, 23, "builds[1].run", "unmatched '}'; write '}}' for a literal brace"));
        }

        @Test
        void placeholderInALiteralBlockScalarIsReportedAtItsOwnLineAndColumn() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: |
                          echo start
                          echo {verison}
                    """).containsExactly(fault(6, 12, "builds[0].run", "unknown placeholder {verison}; did you mean {version}?"));
        }

        @Test
        void placeholderOnTheFirstLineOfAFoldedBlockScalarIsReportedOnThatLine() {
            List<SpecError> errors = errors("""
                    project: demo
                    builds:
                      - id: bin
                        run: >
                          echo {verison}
                    """);

            assertThat(errors).singleElement().satisfies(e -> assertThat(e.location()).isEqualTo(new Location(5, 12)));
        }
    }

    @Nested
    class References {
        @Test
        void aSignedDebOnlyPackageIsRefusedAndYumTakesOneCompression() {
            assertFaults("""
                    project: demo
                    packages:
                      - id: app
                        formats: [deb]
                        platforms: [linux/amd64]
                        files: { /usr/bin/app: "dist/app" }
                        sign: { key: "${file:keys/k.asc}" }
                    repositories:
                      - id: rpm
                        type: yum
                        packages: [app]
                        compression: [gz, zst]
                    """).contains(fault(3, 5, "packages[0].sign", "only .rpm packages carry signatures (apt checks the signed"
                    + " repository, not the .deb); remove sign or add rpm to formats"),
                    fault(9, 5, "repositories[0].compression", "a yum repository's metadata has one compression, not [gz, zst];"
                            + " write [gz] (every yum and dnf) or [zst] (createrepo_c's default, newer dnf)"));
        }

        @Test
        void unknownRegistryInPushSuggestsTheDeclaredOne() {
            assertFaults("""
                    project: demo
                    registries:
                      build: { url: registry.example.com }
                      local: { layout: dist/oci }
                    images:
                      - id: app
                        platforms: [linux/amd64]
                        push: "biuld/acme/app"
                        tags: ["{version}"]
                    """).containsExactly(fault(8, 12, "images[0].push", "unknown registry 'biuld'; did you mean 'build'?"));
        }

        @Test
        void unknownRegistryFarFromAnyListsTheDeclaredOnes() {
            assertFaults("""
                    project: demo
                    registries:
                      build: { url: registry.example.com }
                      local: { layout: dist/oci }
                    images:
                      - id: app
                        platforms: [linux/amd64]
                        push: dockerhub/acme/app
                        tags: ["{version}"]
                    """).containsExactly(fault(8, 11, "images[0].push", "unknown registry 'dockerhub'; declared: build, local"));
        }

        @Test
        void pushWithoutAnyRegistriesSaysHowToDeclareOne() {
            assertFaults("""
                    project: demo
                    images:
                      - id: app
                        platforms: [linux/amd64]
                        push: hub/acme/app
                        tags: ["{version}"]
                    """).containsExactly(fault(5, 11, "images[0].push",
                    "unknown registry 'hub'; declare it under registries:, e.g. registries: { hub: { layout: dist/oci } }"));
        }

        @Test
        void placeholderInThePathOfAPushPointsAtItsBrace() {
            assertFaults("""
                    project: demo
                    registries:
                      local: { layout: dist/oci }
                    images:
                      - id: app
                        platforms: [linux/amd64]
                        push: "local/acme/app{channel.sufix}"
                        tags: ["{version}"]
                    """).containsExactly(fault(7, 26, "images[0].push",
                    "unknown placeholder {channel.sufix}; did you mean {channel.suffix}?"));
        }

        @Test
        void pushWithoutARepositoryPathIsNotARegistryReference() {
            assertFaults("""
                    project: demo
                    registries:
                      local: { layout: dist/oci }
                    images:
                      - id: app
                        platforms: [linux/amd64]
                        push: local
                        tags: ["{version}"]
                    """).containsExactly(fault(7, 11, "images[0].push", "'local' is not REGISTRY/path; write the name of a"
                    + " registry declared under registries: then the repository path, e.g. build/my-org/my-app"));
        }

        @Test
        void unknownRegistryInReplicateTargetIsReported() {
            assertFaults("""
                    project: demo
                    registries:
                      local: { layout: dist/oci }
                      mirror: { url: mirror.example.com }
                    images:
                      - id: app
                        platforms: [linux/amd64]
                        push: local/app
                        tags: ["{version}"]
                    replicate:
                      - image: app
                        to: ["mirror/app", "mirorr/app"]
                    """).containsExactly(fault(12, 25, "replicate[0].to", "unknown registry 'mirorr'; did you mean 'mirror'?"));
        }

        @Test
        void replicateOfAnUnknownImageSuggestsTheDeclaredImage() {
            assertFaults("""
                    project: demo
                    registries:
                      local: { layout: dist/oci }
                    images:
                      - id: app
                        platforms: [linux/amd64]
                        push: local/app
                        tags: ["{version}"]
                    replicate:
                      - image: ap
                        to: [local/mirror]
                    """).containsExactly(fault(10, 5, "replicate[0].image",
                    "'ap' is not one of the images of this spec; did you mean 'app'?"));
        }

        @Test
        void replicateOfAnImageInASpecWithoutImagesSaysNothingMore() {
            assertFaults("""
                    project: demo
                    registries:
                      local: { layout: dist/oci }
                    replicate:
                      - image: app
                        to: [local/mirror]
                    """).containsExactly(fault(5, 5, "replicate[0].image", "'app' is not one of the images of this spec"));
        }

        @Test
        void duplicateIdIsReportedAtTheSecondEntryWithTheLineOfTheFirst() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: make bin
                      - id: docs
                        run: make docs
                      - id: bin
                        run: make bin2
                    """).containsExactly(fault(7, 5, "builds[2].id",
                    "duplicate id 'bin' (first at line 3); give each entry its own id"));
        }

        @Test
        void unknownNeedSuggestsTheClosestBuild() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: lib
                        run: make lib
                      - id: bin
                        run: make bin
                        needs: [lbi]
                    """).containsExactly(fault(5, 5, "builds[1].needs",
                    "'lbi' is not one of the builds of this spec; did you mean 'lib'?"));
        }

        @Test
        void dependencyCycleNamesEveryBuildOnIt() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: gen
                        run: make gen
                      - id: lib
                        run: make lib
                        needs: [gen, bin]
                      - id: bin
                        run: make bin
                        needs: [lib]
                    """).containsExactly(fault(5, 5, "builds",
                    "dependency cycle: lib -> bin -> lib; remove one of these needs"));
        }

        @Test
        void aBuildThatNeedsItselfIsACycle() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: make bin
                        needs: [bin]
                    """).containsExactly(fault(3, 5, "builds", "dependency cycle: bin -> bin; remove one of these needs"));
        }

        @Test
        void aLongerCycleIsReportedFromItsFirstEntry() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: a
                        run: make a
                        needs: [c]
                      - id: b
                        run: make b
                        needs: [a]
                      - id: c
                        run: make c
                        needs: [b]
                    """).containsExactly(fault(3, 5, "builds", "dependency cycle: a -> c -> b -> a; remove one of these needs"));
        }
    }

    @Nested
    class DuplicateKeys {
        @Test
        void duplicateTopLevelKeyIsReportedAtTheSecondWithTheLineOfTheFirst() {
            assertFaults("""
                    project: demo
                    vars: {}
                    project: other
                    """).containsExactly(fault(3, 1, "project", "duplicate key (first at line 1); keep one"));
        }

        @Test
        void duplicateKeyInsideAnEntryNamesTheFullFieldPath() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: make
                        run: make again
                    """).containsExactly(fault(5, 5, "builds[0].run", "duplicate key (first at line 4); keep one"));
        }
    }

    @Nested
    class PlatformsAndPatterns {
        @Test
        void badPlatformStringsAreReportedEachAtItsOwnColumn() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        platforms: [linux/amd64, linux, Linux/ARM64, "linux/arm/v7/x"]
                        run: make
                    """).containsExactly(
                    fault(4, 30, "builds[0].platforms[1]",
                            "'linux' is not a platform; write os/arch or os/arch/variant, e.g. linux/amd64 or linux/arm/v7"),
                    fault(4, 37, "builds[0].platforms[2]",
                            "'Linux/ARM64' is not a platform: 'Linux' must be lower-case letters and digits; write e.g. linux/arm64"),
                    fault(4, 51, "builds[0].platforms[3]",
                            "'linux/arm/v7/x' is not a platform; write os/arch or os/arch/variant, e.g. linux/amd64 or linux/arm/v7"));
        }

        @Test
        void badPlatformInAPlatformAxisIsReportedToo() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        matrix:
                          platform: [linux/amd64, darwin]
                        run: make
                    """).containsExactly(fault(5, 31, "builds[0].matrix.platform[1]",
                    "'darwin' is not a platform; write os/arch or os/arch/variant, e.g. linux/amd64 or linux/arm/v7"));
        }

        @Test
        void platformsAndAPlatformAxisTogetherAreOneTooMany() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        matrix:
                          platform: [linux/amd64]
                        platforms: [linux/arm64]
                        run: make
                    """).containsExactly(fault(6, 5, "builds[0].platforms",
                    "the matrix already has a 'platform' axis; keep one of the two"));
        }

        @Test
        void imageWithoutPlatformsIsRejected() {
            assertFaults("""
                    project: demo
                    registries:
                      local: { layout: dist/oci }
                    images:
                      - id: app
                        push: local/app
                        tags: ["{version}"]
                    """).containsExactly(fault(5, 5, "images[0]",
                    "an image needs platforms; add e.g. platforms: [linux/amd64, linux/arm64]"));
        }

        @Test
        void invalidVersionTagPatternIsReportedAtTheTagKey() {
            List<SpecError> errors = errors("""
                    project: demo
                    version:
                      tag: "release-{verison}"
                    """);

            assertThat(errors).singleElement().satisfies(e -> {
                assertThat(e.location()).isEqualTo(new Location(3, 3));
                assertThat(e.path()).isEqualTo("version.tag");
                assertThat(e.message()).startsWith("invalid tag pattern \"release-{verison}\"").contains("{verison}");
            });
        }

        @Test
        void versionTagPatternWithoutVersionIsRejected() {
            List<SpecError> errors = errors("""
                    project: demo
                    vars: {}
                    version: { tag: "latest" }
                    """);

            assertThat(errors).singleElement().satisfies(e -> {
                assertThat(e.location()).isEqualTo(new Location(3, 12));
                assertThat(e.path()).isEqualTo("version.tag");
                assertThat(e.message()).startsWith("invalid tag pattern \"latest\"");
            });
        }
    }

    @Nested
    class Secrets {
        private static final String REGISTRY_WITH_SECRETS = """
                project: demo
                registries:
                  hub:
                    url: registry.example.com
                    auth: basic
                    username: "${env:HUB_USER}"
                    password: "${env:HUB_PASSWORD}"
                images:
                  - id: app
                    platforms: [linux/amd64]
                    push: hub/acme/app
                    tags: ["{version}"%s]
                """;

        @Test
        void secretInARegistryPasswordIsAllowedAndKeptAsWritten() {
            Spec spec = load(REGISTRY_WITH_SECRETS.formatted(""));

            Template password = spec.registries().get("hub").password().orElseThrow();
            assertThat(password.hasSecret()).isTrue();
            assertThat(password.render(name -> java.util.Optional.empty())).isEqualTo("${env:HUB_PASSWORD}");
        }

        @Test
        void secretInATagIsRejectedAtTheTag() {
            assertFaults(REGISTRY_WITH_SECRETS.formatted(", \"{version}-${env:TAG_SUFFIX}\""))
                    .containsExactly(fault(12, 26, "images[0].tags[1]", "a secret reference (${env:…}/${file:…}) is not"
                            + " allowed here: secrets go only in credentials, signing keys, env and webhooks, so they never"
                            + " reach a tag, a path or the ledger"));
        }

        @Test
        void secretInABuildCommandIsRejectedButInItsEnvironmentIsAllowed() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: "make TOKEN=${file:secrets/token}"
                        env: { TOKEN: "${env:TOKEN}" }
                    """).extracting(t -> t.toList().get(2)).containsExactly("builds[0].run");
        }

        @Test
        void basicAuthWithoutAPasswordSaysHowToGiveOne() {
            assertFaults("""
                    project: demo
                    registries:
                      hub: { url: registry.example.com, auth: basic, username: me }
                    """).containsExactly(fault(3, 8, "registries.hub",
                    "auth: basic needs 'username' and 'password', e.g. password: \"${env:REGISTRY_PASSWORD}\""));
        }
    }

    @Nested
    class IncludeAndExclude {
        private static final String MATRIX = """
                project: demo
                builds:
                  - id: bin
                    matrix:
                      go: ["1.22", "1.23"]
                      os:
                        linux: { ext: "" }
                        windows: { ext: ".exe" }
                      %s
                    run: "go build -o bin{os.ext}"
                """;

        @Test
        void includeRowMissingAnAxisNamesTheAxis() {
            assertFaults(MATRIX.formatted("include: [{ go: \"1.24\" }]")).containsExactly(
                    fault(9, 17, "builds[0].matrix.include[0]", "an include row names every axis; add os: …"));
        }

        @Test
        void includeRowWithANewValueOfAnAxisOfNamedObjectsIsRejected() {
            assertFaults(MATRIX.formatted("include: [{ go: \"1.24\", os: freebsd }]")).containsExactly(
                    fault(9, 17, "builds[0].matrix.include[0].os", "'freebsd' is not a value of axis os; values: linux, windows"));
        }

        @Test
        void excludeRowNamingAnUnknownValueListsTheValues() {
            assertFaults(MATRIX.formatted("exclude: [{ go: \"1.23\", os: darwin }]")).containsExactly(
                    fault(9, 17, "builds[0].matrix.exclude[0].os", "'darwin' is not a value of axis os; values: linux, windows"));
        }

        @Test
        void excludeRowNamingAnUnknownScalarValueListsTheValues() {
            assertFaults(MATRIX.formatted("exclude: [{ go: \"1.21\" }]")).containsExactly(
                    fault(9, 17, "builds[0].matrix.exclude[0].go", "'1.21' is not a value of axis go; values: 1.22, 1.23"));
        }

        @Test
        void excludeRowNamingAnUnknownAxisSuggestsTheClosest() {
            assertFaults(MATRIX.formatted("exclude: [{ og: linux }]")).containsExactly(
                    fault(9, 17, "builds[0].matrix.exclude[0].og", "no axis named 'og'; did you mean 'os'?"));
        }

        @Test
        void includeRowThatIsNotAMapIsRejected() {
            assertFaults(MATRIX.formatted("include: [linux]")).containsExactly(
                    fault(9, 17, "builds[0].matrix.include[0]", "expected a map of axis: value, found a string"));
        }

        @Test
        void axisListingAValueTwiceIsRejected() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        matrix: { go: ["1.22", "1.22"] }
                        run: make
                    """).containsExactly(fault(4, 19, "builds[0].matrix.go", "an axis lists a value twice; each value once"));
        }

        @Test
        void emptyAxisIsRejected() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        matrix: { go: [] }
                        run: make
                    """).containsExactly(fault(4, 19, "builds[0].matrix.go", "an axis needs at least one value"));
        }
    }

    @Nested
    class MalformedYaml {
        @Test
        void unclosedFlowSequenceIsReportedWhereTheParserStopped() {
            List<SpecError> errors = errors("""
                    project: demo
                    builds:
                      - id: bin
                        run: [make
                      - id: lib
                    """);

            assertThat(errors).singleElement().satisfies(e -> {
                assertThat(e.location()).isEqualTo(new Location(5, 7));
                assertThat(e.path()).isEmpty();
                assertThat(e.message()).startsWith("not valid YAML: ").contains("expected ',' or ']'");
            });
        }

        @Test
        void tabIndentationIsReportedAtTheTab() {
            List<SpecError> errors = errors("project: demo\nbuilds:\n  - id: bin\n    run: make\n\tretries: 1\n");

            assertThat(errors).singleElement().satisfies(e -> {
                assertThat(e.location()).isEqualTo(new Location(5, 1));
                assertThat(e.message()).startsWith("not valid YAML: ");
            });
        }

        @Test
        void malformedYamlIsOneLineThatNamesTheProblem() {
            List<SpecError> errors = errors("""
                    project: demo
                    builds:
                      - id: bin
                        run: [make
                      - id: lib
                    """);

            assertThat(errors).singleElement().satisfies(e -> assertThat(e.message())
                    .startsWith("not valid YAML: ")
                    .contains("expected ',' or ']'")
                    .doesNotContain("\n"));
        }

        @Test
        void aSecondDocumentIsRejectedAtItsSeparator() {
            assertFaults("""
                    project: demo
                    ---
                    project: other
                    """).containsExactly(fault(3, 1, "",
                    "the file holds more than one YAML document; keep one (remove the extra '---')"));
        }
    }

    @Nested
    class Entries {
        @Test
        void imageWithoutPushOrTagsSaysWhatToAdd() {
            assertFaults("""
                    project: demo
                    images:
                      - id: app
                        platforms: [linux/amd64]
                    """).containsExactly(
                    fault(3, 5, "images[0]", "missing required field 'push'; add e.g. push: local/app (a registry declared"
                            + " under registries: and a path)"),
                    fault(3, 5, "images[0]", "declares no tags; add e.g. tags: [\"{version}\", latest]"));
        }

        @Test
        void buildWithoutIdOrRunSaysWhatToAdd() {
            assertFaults("""
                    project: demo
                    builds:
                      - outputs: [dist/bin]
                    """).containsExactly(
                    fault(3, 5, "builds[0]", "missing required field 'id'; add e.g. id: my-id"),
                    fault(3, 5, "builds[0]", "missing required field 'run'; add e.g. run: make dist"));
        }

        @Test
        void idWithASlashIsRejected() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin/linux
                        run: make
                    """).containsExactly(fault(3, 5, "builds[0].id",
                    "'bin/linux' is not an id; use letters, digits, '.', '_' and '-'"));
        }

        @Test
        void registryWithBothUrlAndLayoutIsRejected() {
            assertFaults("""
                    project: demo
                    registries:
                      local: { url: registry.example.com, layout: dist/oci }
                    """).containsExactly(fault(3, 10, "registries.local", "give exactly one of 'url' (an OCI registry,"
                    + " e.g. url: registry.example.com) or 'layout' (an OCI layout directory, e.g. layout: dist/oci)"));
        }

        @Test
        void registryUrlWithASchemeIsRejected() {
            assertFaults("""
                    project: demo
                    registries:
                      hub: { url: "https://registry.example.com" }
                    """).containsExactly(fault(3, 16, "registries.hub.url", "write the registry as host[:port][/prefix]"
                    + " without a scheme; use 'insecure: true' for plain HTTP on a non-loopback host"));
        }

        @Test
        void variableWithADashIsNotAVariableName() {
            assertFaults("""
                    project: demo
                    vars:
                      BUILD-TAGS: ""
                    """).containsExactly(fault(3, 3, "vars.BUILD-TAGS", "not a variable name; use letters, digits and '_'"));
        }

        @Test
        void channelTargetThatIsNoRegistrySuggestsTheClosest() {
            assertFaults("""
                    project: demo
                    registries:
                      build: { url: registry.example.com }
                    channels:
                      nightly: { match: "*-nightly*", targets: [biuld] }
                      stable: { match: "*" }
                    """).containsExactly(fault(5, 12, "channels.nightly.targets",
                    "'biuld' is not a registry, release or repository of this spec; did you mean 'build'?"));
        }
    }

    /** Faults the fuzzer found (SpecFuzzTest): each one a SpecError, not another exception. */
    @Nested
    class FoundByFuzzing {
        @Test
        void aPackageIdWithABraceIsAFaultOfItsDefaultName() {
            assertThat(errors("""
                    project: demo
                    packages:
                      - id: "tool}"
                        formats: [rpm]
                        files: { /usr/bin/tool: tool }
                    """)).anySatisfy(e -> assertThat(e.message()).contains("unmatched '}'"));
        }

        @Test
        void aChannelWithAnEmptyNameIsAFault() {
            assertThat(errors("""
                    project: demo
                    channels:
                      "": { match: "*" }
                    """)).anySatisfy(e -> assertThat(e.message()).contains("a channel has an empty name"));
        }
    }

    @Nested
    class ChecksReadWhatIsPublished {
        @Test
        void anInstallCheckOfARepositoryKindTheSpecDoesNotPublishIsRefusedAtItsEntry() {
            assertThat(errors("""
                    project: app
                    validate:
                      - id: install
                        check: yum-install
                    """)).extracting(SpecError::path, SpecError::message).containsExactly(tuple("validate[0].check",
                    "check 'yum-install' reads a yum repository, and the spec publishes none; add one under repositories: or"
                            + " remove the check"));
        }

        @Test
        void anAssetsCheckWithoutAReleaseIsRefused() {
            assertThat(errors("""
                    project: app
                    validate:
                      - id: assets
                        check: assets
                    """)).extracting(SpecError::message).singleElement().asString().contains("publishes no release");
        }
    }
}
