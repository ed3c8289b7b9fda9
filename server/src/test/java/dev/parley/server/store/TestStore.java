package dev.parley.server.store;

/**
 * The databases a store test runs on: {@code @ParameterizedTest @EnumSource(TestStore.class)}
 * runs the same test on each. {@link #open()} gives a new, empty, migrated store every time.
 */
public enum TestStore {
    /** A private in-memory SQLite database. */
    SQLITE {
        @Override
        public SqlStore open() {
            return SqlStore.openInMemory();
        }
    },
    /** A new database on the shared test PostgreSQL ({@link TestPostgres}); the test is skipped without one. */
    POSTGRESQL {
        @Override
        public SqlStore open() {
            TestPostgres.Database db = TestPostgres.newDatabase();
            return SqlStore.openPostgres(db.url(), db.password(), 2);
        }
    };

    /** A new empty store of this kind; the caller closes it. */
    public abstract SqlStore open();
}
