// libtorch keeps its seed, thread count and grad mode per process; tests that train while others predict in the
// same process race on that state (docs/cnn.md, "Reproducibility"), so the LeNet tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
