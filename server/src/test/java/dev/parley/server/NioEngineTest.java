package dev.parley.server;

/** Every engine contract, on the non-blocking selector engine. */
class NioEngineTest extends EngineSuite {
    @Override
    protected EngineKind kind() {
        return EngineKind.NIO;
    }
}
