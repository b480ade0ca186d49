// Most of these tests wait (on Azurite, Chromium, a child process, a socket) rather than compute, so more
// collections run at once than this machine has cores (xunit's default); each collection still runs its
// tests one after another.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
