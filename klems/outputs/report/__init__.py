"""The white-paper report of an estimate: one self-contained HTML file and its PDF.

``inputs`` (what a report is made of), ``figures`` (the estimate's charts as PNG), ``sections``
(the chapters), ``document`` (the page, the cover, the styles), ``fontface`` (the embedded
Chinese font), ``pdf`` (printing the HTML to PDF). The command is ``klems report``.
"""
