"""What a run leaves behind: the results Dataset with its balance checks and files, and
the HTML report."""
