"""Writers turn a transformed Document into an output format."""
