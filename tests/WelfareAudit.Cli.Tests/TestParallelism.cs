// Most of these tests wait (on Azurite, LibreOffice, the CLI, files) rather than compute, so more
// collections run at once than this machine has cores (xunit's default); each collection still runs its
// tests one after another.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
