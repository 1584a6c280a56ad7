"""Running many documents: worker processes and the Dask executor."""
