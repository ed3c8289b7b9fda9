package dev.parley.server;

import dev.parley.server.config.EngineKind;

/** Every engine contract, on the platform-thread-per-client engine. */
class ThreadsEngineTest extends EngineSuite {
    @Override
    protected EngineKind kind() {
        return EngineKind.THREADS;
    }
}
