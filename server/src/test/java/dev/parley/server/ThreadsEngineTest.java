package dev.parley.server;

class ThreadsEngineTest extends EngineContract {
    @Override
    protected EngineKind engine() {
        return EngineKind.THREADS;
    }
}
