"""The bundled data: datasets per province, the 139-industry classification, input-output
tables and their regionalisation, the EU KLEMS reader (see docs/data.md)."""
