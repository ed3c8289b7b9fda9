package dev.parley.server;

import dev.parley.server.config.EngineKind;

/** Every engine contract, on the virtual-thread-per-client engine. */
class VirtualEngineTest extends EngineSuite {
    @Override
    protected EngineKind kind() {
        return EngineKind.VIRTUAL;
    }
}
