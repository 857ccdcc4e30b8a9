"""`nextdesk simulate`: how far the desk can trust the service's estimates, measured by replaying
a synthetic workload through the API on a simulated clock."""
