package dev.parley.server;

/** Every engine contract, on the platform-thread-per-client engine. */
class ThreadsEngineTest extends EngineSuite {
    @Override
    protected EngineKind kind() {
        return EngineKind.THREADS;
    }
}
