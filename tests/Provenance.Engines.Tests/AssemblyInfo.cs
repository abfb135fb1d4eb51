// Every test starts real servers (mosquitto, influxd, provenance serve); on two cores they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
