// Each test class starts real processes (provenance serve, the simulator); on two cores they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
