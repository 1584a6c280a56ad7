"""Writers: output folders on disk and database loads."""
