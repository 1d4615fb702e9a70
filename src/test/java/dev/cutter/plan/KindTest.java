package dev.cutter.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one list of kinds covers every action, once, and its traits are what the engine relies on. */
class KindTest {
    @Test
    void everyActionIsTheActionOfExactlyOneKind() {
        List<Class<?>> actions = Arrays.stream(Action.class.getPermittedSubclasses()).toList();

        assertThat(Arrays.stream(Kind.values()).<Class<?>>map(Kind::action).toList()).containsExactlyInAnyOrderElementsOf(actions);
    }

    @Test
    void aKindIsFoundByItsNameAndByItsAction() {
        for (Kind kind : Kind.values()) {
            assertThat(Kind.named(kind.id())).contains(kind);
        }
        assertThat(new Action.Notify("https://hooks.example/x", "json", List.of()).jobKind()).isEqualTo(Kind.NOTIFY);
        assertThat(Kind.named("deploy")).isEmpty();
    }

    @Test
    void whatAPullRequestRunsProducesAndPublishesNothing() {
        assertThat(Arrays.stream(Kind.values()).filter(k -> k.traits().produces()).map(Kind::id))
                .containsExactly("build", "image", "index", "archive", "checksums", "sign", "package", "attest");
        assertThat(Arrays.stream(Kind.values()).filter(k -> k.traits().produces() && k.traits().published())).isEmpty();
    }

    @Test
    void onlyWhatCrossesANetworkIsRetriedByDefault() {
        assertThat(Arrays.stream(Kind.values()).filter(k -> k.traits().network()).map(Kind::id))
                .containsExactly("barrier", "push", "replicate", "repository", "release", "notify");
    }
}
