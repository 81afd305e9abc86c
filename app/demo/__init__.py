"""Demo data: the Romanian cluster landscape and a Clusters Meet Regions style event."""
