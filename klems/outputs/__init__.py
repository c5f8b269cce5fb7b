"""Everything written for people and programs: the one atomic writer, workbooks, NetCDF,
provenance, console and file tables, charts and fonts."""
