package dev.parley.server;

import dev.parley.server.config.EngineKind;

/** Every engine contract, on the non-blocking selector engine. */
class NioEngineTest extends EngineSuite {
    @Override
    protected EngineKind kind() {
        return EngineKind.NIO;
    }
}
