package dev.parley.chat;

import java.util.function.Consumer;

/**
 * The user's side of a session: where things are shown and where typed lines come from.
 * {@link #show} and {@link #prompt} are called only by the chat loop thread, so output is
 * never written by two threads at once; {@link #startInput} starts the one input thread.
 */
interface Ui extends AutoCloseable {
    /** Shows one line; {@code state} gives the own nick and case mapping for colouring. */
    void show(Shown line, ChatState state);

    /** The prompt changed: new target, new nick, or the connection went up or down. */
    void prompt(ChatState state, boolean online);

    /** Starts the input thread, which posts {@link Event.Typed} and {@link Event.InputEnded}. */
    void startInput(Consumer<Event> events);

    @Override
    void close();
}
