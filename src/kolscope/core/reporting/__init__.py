"""Reports and monitoring over stored campaign data: pure computations, no storage."""
