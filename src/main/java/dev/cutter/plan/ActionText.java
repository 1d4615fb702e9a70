package dev.cutter.plan;

/** What a job of one kind does, in a line of the plan's text: {@code → dist/app.tar.gz}. */
@FunctionalInterface
public interface ActionText<A extends Action> {
    String describe(A action);

    /** The text of the kind whose action is {@code type}. */
    static <A extends Action> Typed<A> of(Class<A> type, ActionText<A> text) {
        return new Typed<>(type, text);
    }

    /** A kind's text joined to its action's class. */
    record Typed<A extends Action>(Class<A> type, ActionText<A> text) {
        public String describe(Action action) {
            return text.describe(type.cast(action));
        }
    }
}
