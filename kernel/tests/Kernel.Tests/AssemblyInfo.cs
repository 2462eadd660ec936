using Xunit;

// QEMU boots and the gate build are CPU-heavy and the machine has 2 cores: run the test classes one after
// another, so boot timeouts stay far from the real boot times.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
