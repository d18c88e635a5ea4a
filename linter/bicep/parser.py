"""Bicep parser: tokens -> syntax tree (linter.bicep.syntax), every node with its span.

Hand-written recursive descent with precedence climbing for the binary operators. A declaration that cannot
be parsed becomes a ``Broken`` statement naming the problem and its position; parsing goes on with the next
declaration, so one bad line costs one declaration, not the file.
"""
from __future__ import annotations

from typing import Any, NoReturn

from linter.bicep import syntax as s
from linter.bicep.lexer import EOF, ERROR, IDENT, INT, NEWLINE, STR_LEFT, STR_MID, STR_RIGHT, STRING, Token, tokenize

__all__ = ["ParseError", "parse"]

# binary operators and their precedence (higher binds tighter)
_PRECEDENCE = {
    "*": 100, "/": 100, "%": 100,
    "+": 90, "-": 90,
    ">": 80, ">=": 80, "<": 80, "<=": 80,
    "==": 70, "!=": 70, "=~": 70, "!~": 70,
    "&&": 50,
    "||": 40,
    "??": 30,
}
# tokens that may continue an expression on the next line (none of them can start an expression, an object
# property or an array item, so reading past the line break is never ambiguous)
_CONTINUATION = {"?", "&&", "||", "??", "==", "!=", "=~", "!~", "<=", ">=", "*", "/", "%", ".", ".?", "::"}
_STATEMENT_KEYWORDS = {
    "param", "var", "output", "resource", "module", "type", "func", "import", "metadata", "targetScope",
    "extension", "provider", "using", "test", "assert", "extends",
}


class ParseError(Exception):
    def __init__(self, message: str, start: int, end: int | None = None):
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end if end is not None else start + 1


def _describe(tok: Token) -> str:
    if tok.kind == EOF:
        return "the end of the file"
    if tok.kind == NEWLINE:
        return "a line break"
    if tok.kind in (STRING, STR_LEFT):
        return "a string"
    if tok.kind == INT:
        return f"the number {tok.text}"
    if tok.kind == IDENT:
        return f"'{tok.text}'"
    return f"'{tok.text}'"


class Parser:
    def __init__(self, text: str, params_file: bool = False):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.skip_nl = 0  # > 0 inside parentheses: line breaks are blanks there
        self.params_file = params_file

    # ----------------------------------------------------------------------------------------- tokens
    def peek(self) -> Token:
        tokens = self.tokens
        if self.skip_nl:
            while tokens[self.i].kind == NEWLINE:
                self.i += 1
        return tokens[self.i]

    def next(self) -> Token:
        tok = self.peek()
        if tok.kind != EOF:
            self.i += 1
        return tok

    def at(self, kind: str) -> bool:
        return self.peek().kind == kind

    def at_word(self, word: str) -> bool:
        tok = self.peek()
        return tok.kind == IDENT and tok.text == word

    def expect(self, kind: str, what: str | None = None) -> Token:
        tok = self.peek()
        if tok.kind != kind:
            self.fail(f"expected {what or repr(kind)}, found {_describe(tok)}", tok)
        self.i += 1
        return tok

    def expect_word(self, word: str) -> Token:
        tok = self.peek()
        if tok.kind != IDENT or tok.text != word:
            self.fail(f"expected '{word}', found {_describe(tok)}", tok)
        self.i += 1
        return tok

    def fail(self, message: str, tok: Token) -> NoReturn:
        if tok.kind == ERROR:
            raise ParseError(tok.text, tok.start, tok.end)
        raise ParseError(message, tok.start, max(tok.end, tok.start + 1))

    def newlines(self) -> None:
        tokens = self.tokens
        while tokens[self.i].kind == NEWLINE:
            self.i += 1

    def continues(self, extra: str | None = None) -> bool:
        """At a line break: does the expression go on after it (the next line starts with an operator)?
        If so the line breaks are skipped."""
        tokens = self.tokens
        j = self.i
        if tokens[j].kind != NEWLINE:
            return False
        while tokens[j].kind == NEWLINE:
            j += 1
        kind = tokens[j].kind
        if kind in _CONTINUATION or kind == extra:
            self.i = j
            return True
        return False

    # ----------------------------------------------------------------------------------------- program
    def program(self) -> s.Program:
        statements: list[s.Statement] = []
        while True:
            self.newlines()
            tok = self.tokens[self.i]
            if tok.kind == EOF:
                break
            first = self.i
            try:
                statements.append(self.statement())
                # a statement ends at a line break (or the end of the file)
                end = self.tokens[self.i]
                if end.kind not in (NEWLINE, EOF):
                    self.fail(f"expected a line break after the declaration, found {_describe(end)}", end)
            except ParseError as exc:
                statements.append(self.recover(first, exc))
            except RecursionError:
                statements.append(self.recover(first, ParseError("expression nested too deeply", tok.start)))
        return s.Program(statements, self.text)

    def recover(self, first: int, exc: ParseError) -> s.Broken:
        """Skip the broken declaration: to the first line break at bracket depth 0 after the error, or, when
        the brackets never balance, to the next line that starts with a declaration keyword."""
        self.skip_nl = 0
        tokens = self.tokens
        start_tok = tokens[first]
        keyword = start_tok.text if start_tok.kind == IDENT else ""
        j, depth = first, 0
        stop = None
        while tokens[j].kind != EOF:
            kind = tokens[j].kind
            if kind in ("{", "[", "(", STR_LEFT):
                depth += 1
            elif kind in ("}", "]", ")", STR_RIGHT):
                depth -= 1
            elif kind == NEWLINE and depth <= 0 and tokens[j].start >= exc.start:
                stop = j
                break
            j += 1
        if stop is None or depth < 0:
            stop = len(tokens) - 1
            for k in range(first + 1, len(tokens) - 1):
                tok = tokens[k]
                if tokens[k - 1].kind != NEWLINE:
                    continue
                line_start = self.text.rfind("\n", 0, tok.start) + 1
                if tok.start == line_start and ((tok.kind == IDENT and tok.text in _STATEMENT_KEYWORDS) or tok.kind == "@"):
                    stop = k
                    break
        self.i = stop
        end = tokens[stop - 1].end if stop > first else exc.end
        return s.Broken(start_tok.start, max(end, exc.end), exc.message, exc.start, keyword)

    def decorators(self) -> list[s.Decorator]:
        out: list[s.Decorator] = []
        while self.at("@"):
            at = self.next()
            expr = self.postfix(self.primary())
            if isinstance(expr, s.MethodCall) and isinstance(expr.base, s.Name):
                call = s.Call(expr.start, expr.end, expr.name, expr.args, expr.base.name)
            elif isinstance(expr, s.Call):
                call = expr
            else:
                self.fail("expected a decorator call such as @description('...')", self.tokens[self.i - 1])
            out.append(s.Decorator(at.start, call.end, call))
            self.newlines()
        return out

    def statement(self) -> s.Statement:
        decorators = self.decorators()
        tok = self.peek()
        if tok.kind != IDENT:
            self.fail(f"expected a declaration, found {_describe(tok)}", tok)
        word = tok.text
        if self.params_file:
            if word == "using":
                return self.using()
            if word == "param":
                return self.param_value()
            if word in ("var", "import", "type", "func", "extends", "extension"):
                pass  # the same syntax as in a template
            else:
                self.fail(f"'{word}' is not a .bicepparam declaration", tok)
        handler: Any = {
            "param": self.param, "var": self.var, "output": self.output, "resource": self.resource,
            "module": self.module, "type": self.type_decl, "func": self.func, "import": self.import_,
            "metadata": self.metadata, "targetScope": self.target_scope, "extension": self.extension,
            "provider": self.extension,
        }.get(word)
        if handler is None:
            if word in _STATEMENT_KEYWORDS:
                self.fail(f"the '{word}' declaration is not supported by acrlint", tok)
            self.fail(f"expected a declaration (param, var, resource, module, output, ...), found {_describe(tok)}", tok)
        stmt: s.Statement = handler(decorators)
        return stmt

    def ident(self, what: str) -> Token:
        return self.expect(IDENT, what)

    def param(self, decorators: list[s.Decorator]) -> s.Param:
        kw = self.next()
        name = self.ident("a parameter name")
        ptype: s.TypeExpr | None = None
        if not self.at("="):
            ptype = self.type_expr()
        default = None
        if self.at("="):
            self.next()
            default = self.expression()
        end = (default or ptype or name)
        return s.Param(kw.start, end.end, decorators, name.text, name.start, name.end, ptype, default)

    def var(self, decorators: list[s.Decorator]) -> s.Var:
        kw = self.next()
        name = self.ident("a variable name")
        vtype = None
        if not self.at("="):
            vtype = self.type_expr()
        self.expect("=", "'='")
        value = self.expression()
        return s.Var(kw.start, value.end, decorators, name.text, name.start, name.end, vtype, value)

    def output(self, decorators: list[s.Decorator]) -> s.Output:
        kw = self.next()
        name = self.ident("an output name")
        otype: s.TypeExpr | None = None
        resource_type = None
        if self.at_word("resource"):
            self.next()
            resource_type = self.expect(STRING, "a resource type string").text
        elif not self.at("="):
            otype = self.type_expr()
        self.expect("=", "'='")
        value = self.expression()
        return s.Output(kw.start, value.end, decorators, name.text, name.start, name.end, otype, value, resource_type)

    def type_decl(self, decorators: list[s.Decorator]) -> s.TypeDecl:
        kw = self.next()
        name = self.ident("a type name")
        self.expect("=", "'='")
        texpr = self.type_expr()
        return s.TypeDecl(kw.start, texpr.end, decorators, name.text, name.start, name.end, texpr)

    def func(self, decorators: list[s.Decorator]) -> s.Func:
        kw = self.next()
        name = self.ident("a function name")
        self.expect("(", "'('")
        self.skip_nl += 1
        params: list[tuple[str, s.TypeExpr]] = []
        try:
            while not self.at(")"):
                pname = self.ident("a parameter name")
                params.append((pname.text, self.type_expr()))
                if not self.at(")"):
                    self.expect(",", "',' or ')'")
            self.next()
        finally:
            self.skip_nl -= 1
        returns = self.type_expr()
        self.expect("=>", "'=>'")
        self.newlines()
        body = self.expression()
        return s.Func(kw.start, body.end, decorators, name.text, name.start, name.end, params, returns, body)

    def resource(self, decorators: list[s.Decorator], nested: bool = False) -> s.Resource:
        kw = self.next()
        name = self.ident("a resource name")
        rtype = self.expect(STRING, "the resource type string ('Microsoft.X/y@version')")
        existing = False
        if self.at_word("existing"):
            self.next()
            existing = True
        self.expect("=", "'='")
        children: list[s.Resource] = []
        body = self.resource_body(children)
        return s.Resource(kw.start, body.end, decorators, name.text, name.start, name.end, rtype.text, rtype.start,
                          rtype.end, existing, body, children)

    def resource_body(self, children: list[s.Resource] | None) -> s.Expr:
        tok = self.peek()
        if tok.kind == "{":
            return self.object(children)
        if tok.kind == IDENT and tok.text == "if":
            return self.if_body(children)
        if tok.kind == "[":
            return self.for_expr(resource_children=children)
        self.fail(f"expected '{{', 'if' or '[for', found {_describe(tok)}", tok)

    def if_body(self, children: list[s.Resource] | None) -> s.IfBody:
        kw = self.next()
        self.expect("(", "'('")
        self.skip_nl += 1
        try:
            cond = self.expression()
            self.expect(")", "')'")
        finally:
            self.skip_nl -= 1
        body = self.object(children)
        return s.IfBody(kw.start, body.end, cond, body)

    def module(self, decorators: list[s.Decorator]) -> s.Module:
        kw = self.next()
        name = self.ident("a module name")
        path = self.expect(STRING, "the module path string")
        self.expect("=", "'='")
        body = self.resource_body(None)
        return s.Module(kw.start, body.end, decorators, name.text, name.start, name.end, path.text, path.start, path.end, body)

    def import_(self, decorators: list[s.Decorator]) -> s.Import:
        kw = self.next()
        symbols: list[tuple[str, str]] = []
        wildcard = None
        if self.at("{"):
            self.next()
            self.skip_nl += 1
            try:
                while not self.at("}"):
                    name = self.peek()
                    if name.kind not in (IDENT, STRING):
                        self.fail(f"expected a name to import, found {_describe(name)}", name)
                    self.next()
                    local = name.text
                    if self.at_word("as"):
                        self.next()
                        local = self.ident("a name").text
                    symbols.append((name.text, local))
                    if not self.at("}") and not (self.at(",") or self.tokens[self.i - 1].kind == NEWLINE):
                        self.expect(",", "',', a line break or '}'")
                    if self.at(","):
                        self.next()
                self.next()
            finally:
                self.skip_nl -= 1
        elif self.at("*"):
            self.next()
            self.expect_word("as")
            wildcard = self.ident("a namespace name").text
        elif self.at(STRING):
            self.fail("the 'import' of an extension by name is not supported by acrlint (use 'extension')", self.peek())
        else:
            self.fail(f"expected '{{' or '*' after 'import', found {_describe(self.peek())}", self.peek())
        self.expect_word("from")
        path = self.expect(STRING, "the path or registry reference to import from")
        return s.Import(kw.start, path.end, path.text, path.start, path.end, symbols, wildcard, decorators)

    def metadata(self, decorators: list[s.Decorator]) -> s.Metadata:
        kw = self.next()
        name = self.ident("a metadata name")
        self.expect("=", "'='")
        value = self.expression()
        return s.Metadata(kw.start, value.end, name.text, value)

    def target_scope(self, decorators: list[s.Decorator]) -> s.TargetScope:
        kw = self.next()
        self.expect("=", "'='")
        value = self.expression()
        return s.TargetScope(kw.start, value.end, value)

    def extension(self, decorators: list[s.Decorator]) -> s.Extension:
        kw = self.next()
        tok = self.peek()
        if tok.kind not in (IDENT, STRING):
            self.fail(f"expected an extension name, found {_describe(tok)}", tok)
        self.next()
        end = tok.end
        config = None
        alias = None
        if self.at_word("with"):
            self.next()
            config = self.object(None)
            end = config.end
        if self.at_word("as"):
            self.next()
            alias_tok = self.ident("an alias")
            alias, end = alias_tok.text, alias_tok.end
        return s.Extension(kw.start, end, tok.text, alias, config)

    def using(self) -> s.Using:
        kw = self.next()
        if self.at_word("none"):
            tok = self.next()
            return s.Using(kw.start, tok.end, None, tok.start, tok.end)
        path = self.expect(STRING, "the path of the template")
        end = path.end
        if self.at_word("with"):  # using 'x' with { ... } (deployment settings): read and ignored
            self.next()
            end = self.object(None).end
        return s.Using(kw.start, end, path.text, path.start, path.end)

    def param_value(self) -> s.ParamValue:
        kw = self.next()
        name = self.ident("a parameter name")
        self.expect("=", "'='")
        value = self.expression()
        return s.ParamValue(kw.start, value.end, name.text, name.start, value)

    # ----------------------------------------------------------------------------------------- expressions
    def expression(self) -> s.Expr:
        cond = self.binary(0)
        tok = self.peek()
        if tok.kind == NEWLINE:
            j = self.i
            if not (self.continues() and self.tokens[self.i].kind == "?"):
                self.i = j
                return cond
        elif tok.kind != "?":
            return cond
        self.i += 1
        self.newlines()
        then = self.expression()
        if not self.at(":"):
            self.continues(":")
        self.expect(":", "':' of the conditional expression")
        self.newlines()
        other = self.expression()
        return s.Ternary(cond.start, other.end, cond, then, other)

    def binary(self, min_prec: int) -> s.Expr:
        left = self.unary()
        while True:
            tok = self.peek()
            kind = tok.kind
            if kind == NEWLINE:
                j = self.i
                if not self.continues() or self.tokens[self.i].kind not in _PRECEDENCE:
                    self.i = j
                    return left
                tok = self.tokens[self.i]
                kind = tok.kind
            prec = _PRECEDENCE.get(kind)
            if prec is None or prec <= min_prec:
                return left
            self.i += 1
            self.newlines()
            right = self.binary(prec)
            left = s.Binary(left.start, right.end, kind, left, right)

    def unary(self) -> s.Expr:
        tok = self.peek()
        if tok.kind in ("!", "-", "+"):
            self.i += 1
            operand = self.unary()
            if tok.kind == "-" and isinstance(operand, s.Literal) and type(operand.value) is int and operand.start == tok.end:
                return s.Literal(tok.start, operand.end, -operand.value)
            return s.Unary(tok.start, operand.end, tok.kind, operand)
        return self.postfix(self.primary())

    def postfix(self, expr: s.Expr) -> s.Expr:
        tokens = self.tokens
        while True:
            tok = self.peek()
            kind = tok.kind
            if kind == NEWLINE:
                # a chain may go on with '.' on the next line
                j = self.i
                if self.continues() and tokens[self.i].kind in (".", ".?", "::"):
                    continue
                self.i = j
                return expr
            if kind == "." or kind == ".?":
                self.i += 1
                name = self.member_name()
                if kind == "." and self.peek().kind == "(":
                    args, end = self.arguments()
                    expr = s.MethodCall(expr.start, end, expr, name.text, args)
                else:
                    expr = s.Member(expr.start, name.end, expr, name.text, kind == ".?")
            elif kind == "[":
                self.i += 1
                safe = False
                self.skip_nl += 1
                try:
                    if self.at("?"):
                        self.next()
                        safe = True
                    index = self.expression()
                    close = self.expect("]", "']'")
                finally:
                    self.skip_nl -= 1
                expr = s.Index(expr.start, close.end, expr, index, safe)
            elif kind == "::":
                self.i += 1
                name = self.ident("a nested resource name")
                expr = s.Child(expr.start, name.end, expr, name.text)
            elif kind == "!" and tok.start == expr.end:
                self.i += 1
                expr = s.NonNull(expr.start, tok.end, expr)
            else:
                return expr

    def member_name(self) -> Token:
        tok = self.peek()
        if tok.kind != IDENT:
            self.fail(f"expected a property name, found {_describe(tok)}", tok)
        self.i += 1
        return tok

    def arguments(self) -> tuple[list[s.Expr], int]:
        self.expect("(", "'('")
        args, close = self.comma_list()
        return args, close.end

    def comma_list(self) -> tuple[list[s.Expr], Token]:
        """Expressions separated by commas up to ')' (just after the '('), line breaks being blanks; returns them
        and the ')'."""
        self.skip_nl += 1
        items: list[s.Expr] = []
        try:
            while not self.at(")"):
                items.append(self.expression())
                if not self.at(")"):
                    self.expect(",", "',' or ')'")
            close = self.next()
        finally:
            self.skip_nl -= 1
        return items, close

    def primary(self) -> s.Expr:
        tok = self.peek()
        kind = tok.kind
        if kind == IDENT:
            self.i += 1
            text = tok.text
            if text == "true":
                return s.Literal(tok.start, tok.end, True)
            if text == "false":
                return s.Literal(tok.start, tok.end, False)
            if text == "null":
                return s.Literal(tok.start, tok.end, None)
            nxt = self.tokens[self.i].kind
            if nxt == "(":
                args, end = self.arguments()
                return s.Call(tok.start, end, text, args)
            if nxt == "=>":
                self.i += 1
                self.newlines()
                body = self.expression()
                return s.Lambda(tok.start, body.end, [text], body)
            return s.Name(tok.start, tok.end, text)
        if kind == STRING:
            self.i += 1
            return s.Literal(tok.start, tok.end, tok.text)
        if kind == INT:
            self.i += 1
            return s.Literal(tok.start, tok.end, int(tok.text))
        if kind == STR_LEFT:
            return self.interpolation()
        if kind == "{":
            return self.object(None)
        if kind == "[":
            j = self.i + 1
            while self.tokens[j].kind == NEWLINE:
                j += 1
            if self.tokens[j].kind == IDENT and self.tokens[j].text == "for":
                return self.for_expr()
            return self.array()
        if kind == "(":
            return self.parenthesized()
        self.fail(f"expected a value, found {_describe(tok)}", tok)

    def interpolation(self) -> s.Interp:
        first = self.next()
        parts = [first.text]
        exprs: list[s.Expr] = []
        saved, self.skip_nl = self.skip_nl, 0
        try:
            while True:
                exprs.append(self.expression())
                tok = self.peek()
                if tok.kind == STR_MID:
                    self.i += 1
                    parts.append(tok.text)
                    continue
                if tok.kind == STR_RIGHT:
                    self.i += 1
                    parts.append(tok.text)
                    return s.Interp(first.start, tok.end, parts, exprs)
                self.fail(f"expected '}}' to close the string interpolation, found {_describe(tok)}", tok)
        finally:
            self.skip_nl = saved

    def parenthesized(self) -> s.Expr:
        open_ = self.next()
        items, close = self.comma_list()
        if self.tokens[self.i].kind == "=>":
            params = []
            for item in items:
                if not isinstance(item, s.Name):
                    self.fail("expected a lambda parameter name", self.tokens[self.i])
                params.append(item.name)
            self.i += 1
            self.newlines()
            body = self.expression()
            return s.Lambda(open_.start, body.end, params, body)
        if len(items) != 1:
            self.fail("expected one expression between parentheses", close)
        inner = items[0]
        # the parentheses are part of the expression's span (findings point at them)
        return _respan(inner, open_.start, close.end)

    def object(self, children: list[s.Resource] | None) -> s.Object:
        open_ = self.expect("{", "'{'")
        saved, self.skip_nl = self.skip_nl, 0
        items: list[s.Prop | s.Spread] = []
        try:
            self.newlines()
            while not self.at("}"):
                decorators = self.decorators() if self.at("@") else []
                tok = self.peek()
                if tok.kind == "...":
                    self.i += 1
                    value = self.expression()
                    items.append(s.Spread(tok.start, value.end, value))
                elif (children is not None and tok.kind == IDENT and tok.text == "resource"
                      and self.tokens[self.i + 1].kind == IDENT):
                    child = self.resource(decorators, nested=True)
                    children.append(child)
                else:
                    key: str | s.Interp
                    if tok.kind in (IDENT, STRING):
                        self.i += 1
                        key, key_end = tok.text, tok.end
                    elif tok.kind == STR_LEFT:
                        interp = self.interpolation()
                        key, key_end = interp, interp.end
                    else:
                        self.fail(f"expected a property name, found {_describe(tok)}", tok)
                    self.expect(":", "':'")
                    value = self.expression()
                    items.append(s.Prop(tok.start, value.end, key, tok.start, key_end, value, decorators))
                self.separator("}")
            close = self.next()
        finally:
            self.skip_nl = saved
        return s.Object(open_.start, close.end, items)

    def separator(self, closing: str) -> None:
        tok = self.tokens[self.i]
        if tok.kind == NEWLINE:
            self.newlines()
        elif tok.kind == ",":
            self.i += 1
            self.newlines()
        elif tok.kind != closing:
            self.fail(f"expected a line break, ',' or '{closing}', found {_describe(tok)}", tok)

    def array(self) -> s.Array:
        open_ = self.expect("[", "'['")
        saved, self.skip_nl = self.skip_nl, 0
        items: list[s.Expr | s.Spread] = []
        try:
            self.newlines()
            while not self.at("]"):
                tok = self.peek()
                if tok.kind == "...":
                    self.i += 1
                    value = self.expression()
                    items.append(s.Spread(tok.start, value.end, value))
                else:
                    items.append(self.expression())
                self.separator("]")
            close = self.next()
        finally:
            self.skip_nl = saved
        return s.Array(open_.start, close.end, items)

    def for_expr(self, resource_children: list[s.Resource] | None = None) -> s.For:
        open_ = self.expect("[", "'['")
        saved, self.skip_nl = self.skip_nl, 0
        try:
            self.newlines()
            self.expect_word("for")
            item = index = None
            if self.at("("):
                self.next()
                item = self.ident("the loop item name").text
                self.expect(",", "','")
                index = self.ident("the loop index name").text
                self.expect(")", "')'")
            else:
                item = self.ident("the loop item name").text
            self.expect_word("in")
            iterable = self.expression()
            self.expect(":", "':'")
            self.newlines()
            body: s.Expr
            if resource_children is not None or self.at_word("if"):
                if self.at_word("if"):
                    body = self.if_body(resource_children)
                elif self.at("{"):
                    body = self.object(resource_children)
                else:
                    body = self.expression()
            else:
                body = self.expression()
            self.newlines()
            close = self.expect("]", "']' to close the for-expression")
        finally:
            self.skip_nl = saved
        return s.For(open_.start, close.end, item, index, iterable, body)

    # ----------------------------------------------------------------------------------------- types
    def type_expr(self) -> s.TypeExpr:
        if self.tokens[self.i].kind == NEWLINE:  # type t =⏎ | 'a'⏎ | 'b'
            self.continues("|")
        first = self.type_postfix()
        members = [first]
        while True:
            if self.at("|"):
                self.next()
                self.newlines()
                members.append(self.type_postfix())
                continue
            if self.tokens[self.i].kind == NEWLINE and self.continues("|") and self.at("|"):
                continue
            break
        if len(members) == 1:
            return first
        return s.TypeUnion(first.start, members[-1].end, members)

    def type_postfix(self) -> s.TypeExpr:
        texpr = self.type_primary()
        while True:
            tok = self.tokens[self.i]
            if tok.kind == "[" and self.tokens[self.i + 1].kind == "]":
                close = self.tokens[self.i + 1]
                self.i += 2
                texpr = s.TypeArray(texpr.start, close.end, texpr)
            elif tok.kind == "?":
                self.i += 1
                texpr = s.TypeNullable(texpr.start, tok.end, texpr)
            else:
                return texpr

    def type_primary(self) -> s.TypeExpr:
        tok = self.peek()
        kind = tok.kind
        if kind == "|":  # a union written with a leading bar
            self.next()
            return self.type_postfix()
        if kind == IDENT:
            self.i += 1
            if tok.text in ("true", "false", "null"):
                return s.TypeLiteral(tok.start, tok.end, {"true": True, "false": False, "null": None}[tok.text])
            tokens = self.tokens
            if tok.text == "resource" and tokens[self.i].kind == STRING:  # param x resource 'T@v' (experimental)
                rtype = tokens[self.i]
                self.i += 1
                return s.TypeRef(tok.start, rtype.end, "resource", [rtype.text])
            name, end = tok.text, tok.end
            while tokens[self.i].kind == "." and tokens[self.i + 1].kind == IDENT:
                name += "." + tokens[self.i + 1].text
                end = tokens[self.i + 1].end
                self.i += 2
            args: list[str] = []
            path: list[str] = []
            if tokens[self.i].kind == "<":
                self.i += 1
                while True:
                    arg = self.peek()
                    if arg.kind == STRING:
                        args.append(arg.text)
                        self.i += 1
                    else:
                        args.append("")
                        self.type_expr()
                    if not self.at(","):
                        break
                    self.next()
                end = self.expect(">", "'>'").end
            while True:  # a property path: resourceInput<'T@v'>.properties.x, item types: x[*]
                if tokens[self.i].kind == "." and tokens[self.i + 1].kind == IDENT:
                    path.append(tokens[self.i + 1].text)
                    end = tokens[self.i + 1].end
                    self.i += 2
                elif tokens[self.i].kind == "[" and tokens[self.i + 1].kind == "*" and tokens[self.i + 2].kind == "]":
                    path.append("*")
                    end = tokens[self.i + 2].end
                    self.i += 3
                elif tokens[self.i].kind == "." and tokens[self.i + 1].kind == "*":
                    path.append("*")
                    end = tokens[self.i + 1].end
                    self.i += 2
                else:
                    break
            return s.TypeRef(tok.start, end, name, args, path)
        if kind == STRING:
            self.i += 1
            return s.TypeLiteral(tok.start, tok.end, tok.text)
        if kind == INT:
            self.i += 1
            return s.TypeLiteral(tok.start, tok.end, int(tok.text))
        if kind == "-" and self.tokens[self.i + 1].kind == INT:
            num = self.tokens[self.i + 1]
            self.i += 2
            return s.TypeLiteral(tok.start, num.end, -int(num.text))
        if kind == "!" and self.tokens[self.i + 1].kind == IDENT:  # !true / !false literal types
            self.i += 1
            inner = self.type_primary()
            return inner
        if kind == "{":
            return self.object_type()
        if kind == "[":
            return self.tuple_type()
        if kind == "(":
            self.next()
            self.skip_nl += 1
            try:
                inner = self.type_expr()
                self.expect(")", "')'")
            finally:
                self.skip_nl -= 1
            return inner
        self.fail(f"expected a type, found {_describe(tok)}", tok)

    def object_type(self) -> s.TypeObject:
        open_ = self.next()
        saved, self.skip_nl = self.skip_nl, 0
        props: list[s.TypeProp] = []
        try:
            self.newlines()
            while not self.at("}"):
                decorators = self.decorators() if self.at("@") else []
                tok = self.peek()
                if tok.kind in (IDENT, STRING, "*"):
                    self.i += 1
                else:
                    self.fail(f"expected a property name, found {_describe(tok)}", tok)
                if tok.kind == IDENT and self.at("?"):  # name?: type (optional property)
                    self.next()
                self.expect(":", "':'")
                ptype = self.type_expr()
                props.append(s.TypeProp(tok.start, ptype.end, tok.text, ptype, decorators))
                self.separator("}")
            close = self.next()
        finally:
            self.skip_nl = saved
        return s.TypeObject(open_.start, close.end, props)

    def tuple_type(self) -> s.TypeTuple:
        open_ = self.next()
        saved, self.skip_nl = self.skip_nl, 0
        items: list[s.TypeExpr] = []
        try:
            self.newlines()
            while not self.at("]"):
                if self.at("@"):
                    self.decorators()
                items.append(self.type_expr())
                self.separator("]")
            close = self.next()
        finally:
            self.skip_nl = saved
        return s.TypeTuple(open_.start, close.end, items)


def _respan(node: s.Expr, start: int, end: int) -> s.Expr:
    node.start, node.end = start, end
    return node


def parse(text: str, params_file: bool = False) -> s.Program:
    """The syntax tree of a .bicep file (or a .bicepparam file with ``params_file``). Never raises on bad
    input: what cannot be parsed becomes ``Broken`` statements."""
    return Parser(text, params_file).program()

