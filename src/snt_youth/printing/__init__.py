"""Printed output: worksheets (and reports), as HTML and PDF.

This is the only package that imports WeasyPrint, and it does so lazily, inside
functions, so ``import snt_youth.printing`` stays cheap. Start with
:mod:`snt_youth.printing.worksheets`.
"""
