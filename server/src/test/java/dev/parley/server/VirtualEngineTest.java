package dev.parley.server;

class VirtualEngineTest extends EngineContract {
    @Override
    protected EngineKind engine() {
        return EngineKind.VIRTUAL;
    }
}
