"""The Bicep reader: a ``.bicep`` file becomes the ARM template the Bicep compiler would emit, with a source map
from every JSON pointer of that template to its Bicep span; a ``.bicepparam`` file becomes a parameters
document. Pure Python, no compiler.

Layout: ``lexer`` (text -> tokens), ``parser`` (tokens -> syntax tree, ``syntax``), ``emit`` (tree -> template and
source map), ``params`` (.bicepparam -> parameters), ``reader`` (a file and its modules -> BicepDocument, ``read``),
``document`` (BicepDocument, and Documents: the files one run has read), ``pipeline`` (what the decode, expand and
locate stages call; it imports the reader the first time a run reads a Bicep file).
"""
