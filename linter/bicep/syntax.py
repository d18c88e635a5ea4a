"""The Bicep syntax tree. Every node keeps its span: ``start`` and ``end`` are character offsets into the text.

Plain classes with ``__slots__`` (not dataclasses): about 40 of them are created when a .bicep file is first read,
and a dataclass costs several times as much to create, which a pre-commit run on one file pays."""
from __future__ import annotations

from typing import Any


class Node:
    __slots__ = ("end", "start")
    start: int
    end: int

    def __init__(self, start: int, end: int) -> None:
        self.start = start
        self.end = end


# ------------------------------------------------------------------------------------------- expressions

class Literal(Node):
    """A string without interpolation, an integer, true, false or null."""

    __slots__ = ("value",)
    value: Any

    def __init__(self, start: int, end: int, value: Any) -> None:
        self.start = start
        self.end = end
        self.value = value


class Interp(Node):
    """'a${x}b': ``parts`` has one more item than ``exprs``."""

    __slots__ = ("exprs", "parts")
    parts: list[str]
    exprs: list[Expr]

    def __init__(self, start: int, end: int, parts: list[str], exprs: list[Expr]) -> None:
        self.start = start
        self.end = end
        self.parts = parts
        self.exprs = exprs


class Name(Node):
    """An identifier used as a value: a parameter, variable, resource, module, loop or lambda variable."""

    __slots__ = ("name",)
    name: str

    def __init__(self, start: int, end: int, name: str) -> None:
        self.start = start
        self.end = end
        self.name = name


class Call(Node):
    """``f(args)``, or ``ns.f(args)`` for a namespace (az, sys, or an import alias); ``name_start`` locates f."""

    __slots__ = ("args", "name", "namespace")
    name: str
    args: list[Expr]
    namespace: str | None

    def __init__(self, start: int, end: int, name: str, args: list[Expr], namespace: str | None = None) -> None:
        self.start = start
        self.end = end
        self.name = name
        self.args = args
        self.namespace = namespace


class MethodCall(Node):
    """``base.f(args)`` where base is not a namespace (a resource: ``acr.listCredentials()``)."""

    __slots__ = ("args", "base", "name")
    base: Expr
    name: str
    args: list[Expr]

    def __init__(self, start: int, end: int, base: Expr, name: str, args: list[Expr]) -> None:
        self.start = start
        self.end = end
        self.base = base
        self.name = name
        self.args = args


class Member(Node):
    """``base.name``, or ``base.?name`` when ``safe``."""

    __slots__ = ("base", "name", "safe")
    base: Expr
    name: str
    safe: bool

    def __init__(self, start: int, end: int, base: Expr, name: str, safe: bool = False) -> None:
        self.start = start
        self.end = end
        self.base = base
        self.name = name
        self.safe = safe


class Index(Node):
    """``base[index]``, or ``base[?index]`` when ``safe``."""

    __slots__ = ("base", "index", "safe")
    base: Expr
    index: Expr
    safe: bool

    def __init__(self, start: int, end: int, base: Expr, index: Expr, safe: bool = False) -> None:
        self.start = start
        self.end = end
        self.base = base
        self.index = index
        self.safe = safe


class Child(Node):
    """``parent::child``: a nested resource."""

    __slots__ = ("base", "name")
    base: Expr
    name: str

    def __init__(self, start: int, end: int, base: Expr, name: str) -> None:
        self.start = start
        self.end = end
        self.base = base
        self.name = name


class NonNull(Node):
    """``base!``: the non-null assertion (no effect on the value)."""

    __slots__ = ("base",)
    base: Expr

    def __init__(self, start: int, end: int, base: Expr) -> None:
        self.start = start
        self.end = end
        self.base = base


class Unary(Node):
    __slots__ = ("op", "operand")
    op: str  # "!" "-" "+"
    operand: Expr

    def __init__(self, start: int, end: int, op: str, operand: Expr) -> None:
        self.start = start
        self.end = end
        self.op = op
        self.operand = operand


class Binary(Node):
    __slots__ = ("left", "op", "right")
    op: str
    left: Expr
    right: Expr

    def __init__(self, start: int, end: int, op: str, left: Expr, right: Expr) -> None:
        self.start = start
        self.end = end
        self.op = op
        self.left = left
        self.right = right


class Ternary(Node):
    __slots__ = ("cond", "other", "then")
    cond: Expr
    then: Expr
    other: Expr

    def __init__(self, start: int, end: int, cond: Expr, then: Expr, other: Expr) -> None:
        self.start = start
        self.end = end
        self.cond = cond
        self.then = then
        self.other = other


class Prop(Node):
    """An object property: ``key: value``; ``key`` is a string or an Interp (a computed key)."""

    __slots__ = ("decorators", "key", "key_end", "key_start", "value")
    key: str | Interp
    key_start: int
    key_end: int
    value: Expr
    decorators: list[Decorator]

    def __init__(
        self,
        start: int,
        end: int,
        key: str | Interp,
        key_start: int,
        key_end: int,
        value: Expr,
        decorators: list[Decorator] | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.key = key
        self.key_start = key_start
        self.key_end = key_end
        self.value = value
        self.decorators = decorators if decorators is not None else list()


class Spread(Node):
    """``...expr`` inside an object or an array."""

    __slots__ = ("value",)
    value: Expr

    def __init__(self, start: int, end: int, value: Expr) -> None:
        self.start = start
        self.end = end
        self.value = value


class Object(Node):
    __slots__ = ("items",)
    items: list[Prop | Spread]

    def __init__(self, start: int, end: int, items: list[Prop | Spread]) -> None:
        self.start = start
        self.end = end
        self.items = items


class Array(Node):
    __slots__ = ("items",)
    items: list[Expr | Spread]

    def __init__(self, start: int, end: int, items: list[Expr | Spread]) -> None:
        self.start = start
        self.end = end
        self.items = items


class IfBody(Node):
    """``if (cond) { ... }``: a conditional resource or module body (also a loop filter)."""

    __slots__ = ("body", "cond")
    cond: Expr
    body: Object

    def __init__(self, start: int, end: int, cond: Expr, body: Object) -> None:
        self.start = start
        self.end = end
        self.cond = cond
        self.body = body


class For(Node):
    """``[for item in iterable: body]`` / ``[for (item, index) in iterable: body]``."""

    __slots__ = ("body", "index", "item", "iterable")
    item: str | None
    index: str | None
    iterable: Expr
    body: Expr  # an expression, an Object or an IfBody

    def __init__(self, start: int, end: int, item: str | None, index: str | None, iterable: Expr, body: Expr) -> None:
        self.start = start
        self.end = end
        self.item = item
        self.index = index
        self.iterable = iterable
        self.body = body


class Lambda(Node):
    __slots__ = ("body", "params")
    params: list[str]
    body: Expr

    def __init__(self, start: int, end: int, params: list[str], body: Expr) -> None:
        self.start = start
        self.end = end
        self.params = params
        self.body = body


Expr = (Literal | Interp | Name | Call | MethodCall | Member | Index | Child | NonNull | Unary | Binary | Ternary
        | Object | Array | For | Lambda | IfBody)


# ------------------------------------------------------------------------------------------- types

class TypeRef(Node):
    """A named type (string, int, bool, object, array, any, a user-defined or imported type, ``ns.type``),
    or ``resourceInput<'T@v'>``-style generic types (``args``) with an optional property path."""

    __slots__ = ("args", "name", "path")
    name: str
    args: list[str]
    path: list[str]

    def __init__(
        self,
        start: int,
        end: int,
        name: str,
        args: list[str] | None = None,
        path: list[str] | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.name = name
        self.args = args if args is not None else list()
        self.path = path if path is not None else list()


class TypeLiteral(Node):
    __slots__ = ("value",)
    value: Any

    def __init__(self, start: int, end: int, value: Any) -> None:
        self.start = start
        self.end = end
        self.value = value


class TypeArray(Node):
    __slots__ = ("item",)
    item: TypeExpr

    def __init__(self, start: int, end: int, item: TypeExpr) -> None:
        self.start = start
        self.end = end
        self.item = item


class TypeNullable(Node):
    __slots__ = ("inner",)
    inner: TypeExpr

    def __init__(self, start: int, end: int, inner: TypeExpr) -> None:
        self.start = start
        self.end = end
        self.inner = inner


class TypeUnion(Node):
    __slots__ = ("members",)
    members: list[TypeExpr]

    def __init__(self, start: int, end: int, members: list[TypeExpr]) -> None:
        self.start = start
        self.end = end
        self.members = members


class TypeProp(Node):
    __slots__ = ("decorators", "name", "type")
    name: str  # "*" for the additional-properties type
    type: TypeExpr
    decorators: list[Decorator]

    def __init__(
        self,
        start: int,
        end: int,
        name: str,
        type: TypeExpr,
        decorators: list[Decorator] | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.name = name
        self.type = type
        self.decorators = decorators if decorators is not None else list()


class TypeObject(Node):
    __slots__ = ("props",)
    props: list[TypeProp]

    def __init__(self, start: int, end: int, props: list[TypeProp]) -> None:
        self.start = start
        self.end = end
        self.props = props


class TypeTuple(Node):
    __slots__ = ("items",)
    items: list[TypeExpr]

    def __init__(self, start: int, end: int, items: list[TypeExpr]) -> None:
        self.start = start
        self.end = end
        self.items = items


TypeExpr = TypeRef | TypeLiteral | TypeArray | TypeNullable | TypeUnion | TypeObject | TypeTuple


# ------------------------------------------------------------------------------------------- statements

class Decorator(Node):
    __slots__ = ("call",)
    call: Call

    def __init__(self, start: int, end: int, call: Call) -> None:
        self.start = start
        self.end = end
        self.call = call


class Decl(Node):
    """Base of the top-level declarations; ``name_start``/``name_end`` locate the declared name."""

    __slots__ = ("decorators", "name", "name_end", "name_start")
    decorators: list[Decorator]
    name: str
    name_start: int
    name_end: int

    def __init__(
        self,
        start: int,
        end: int,
        decorators: list[Decorator],
        name: str,
        name_start: int,
        name_end: int,
    ) -> None:
        self.start = start
        self.end = end
        self.decorators = decorators
        self.name = name
        self.name_start = name_start
        self.name_end = name_end

    def decorator(self, name: str) -> Decorator | None:
            for d in self.decorators:
                if d.call.name == name and d.call.namespace in (None, "sys"):
                    return d
            return None


class Param(Decl):
    __slots__ = ("default", "type")
    type: TypeExpr | None
    default: Expr | None

    def __init__(
        self,
        start: int,
        end: int,
        decorators: list[Decorator],
        name: str,
        name_start: int,
        name_end: int,
        type: TypeExpr | None,
        default: Expr | None,
    ) -> None:
        self.start = start
        self.end = end
        self.decorators = decorators
        self.name = name
        self.name_start = name_start
        self.name_end = name_end
        self.type = type
        self.default = default


class Var(Decl):
    __slots__ = ("type", "value")
    type: TypeExpr | None
    value: Expr

    def __init__(
        self,
        start: int,
        end: int,
        decorators: list[Decorator],
        name: str,
        name_start: int,
        name_end: int,
        type: TypeExpr | None,
        value: Expr,
    ) -> None:
        self.start = start
        self.end = end
        self.decorators = decorators
        self.name = name
        self.name_start = name_start
        self.name_end = name_end
        self.type = type
        self.value = value


class Output(Decl):
    __slots__ = ("resource_type", "type", "value")
    type: TypeExpr | None
    value: Expr
    resource_type: str | None  # output x resource 'T@v' = ...

    def __init__(
        self,
        start: int,
        end: int,
        decorators: list[Decorator],
        name: str,
        name_start: int,
        name_end: int,
        type: TypeExpr | None,
        value: Expr,
        resource_type: str | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.decorators = decorators
        self.name = name
        self.name_start = name_start
        self.name_end = name_end
        self.type = type
        self.value = value
        self.resource_type = resource_type


class TypeDecl(Decl):
    __slots__ = ("type",)
    type: TypeExpr

    def __init__(
        self,
        start: int,
        end: int,
        decorators: list[Decorator],
        name: str,
        name_start: int,
        name_end: int,
        type: TypeExpr,
    ) -> None:
        self.start = start
        self.end = end
        self.decorators = decorators
        self.name = name
        self.name_start = name_start
        self.name_end = name_end
        self.type = type


class Func(Decl):
    __slots__ = ("body", "params", "returns")
    params: list[tuple[str, TypeExpr]]
    returns: TypeExpr
    body: Expr

    def __init__(
        self,
        start: int,
        end: int,
        decorators: list[Decorator],
        name: str,
        name_start: int,
        name_end: int,
        params: list[tuple[str, TypeExpr]],
        returns: TypeExpr,
        body: Expr,
    ) -> None:
        self.start = start
        self.end = end
        self.decorators = decorators
        self.name = name
        self.name_start = name_start
        self.name_end = name_end
        self.params = params
        self.returns = returns
        self.body = body


class Resource(Decl):
    __slots__ = ("body", "children", "existing", "type_end", "type_start", "type_string")
    type_string: str
    type_start: int
    type_end: int
    existing: bool
    body: Expr  # Object, IfBody or For
    children: list[Resource]  # nested resources declared in the body

    def __init__(
        self,
        start: int,
        end: int,
        decorators: list[Decorator],
        name: str,
        name_start: int,
        name_end: int,
        type_string: str,
        type_start: int,
        type_end: int,
        existing: bool,
        body: Expr,
        children: list[Resource] | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.decorators = decorators
        self.name = name
        self.name_start = name_start
        self.name_end = name_end
        self.type_string = type_string
        self.type_start = type_start
        self.type_end = type_end
        self.existing = existing
        self.body = body
        self.children = children if children is not None else list()


class Module(Decl):
    __slots__ = ("body", "path", "path_end", "path_start")
    path: str
    path_start: int
    path_end: int
    body: Expr  # Object, IfBody or For

    def __init__(
        self,
        start: int,
        end: int,
        decorators: list[Decorator],
        name: str,
        name_start: int,
        name_end: int,
        path: str,
        path_start: int,
        path_end: int,
        body: Expr,
    ) -> None:
        self.start = start
        self.end = end
        self.decorators = decorators
        self.name = name
        self.name_start = name_start
        self.name_end = name_end
        self.path = path
        self.path_start = path_start
        self.path_end = path_end
        self.body = body


class Import(Node):
    """``import {a, b as c} from 'path'``, ``import * as ns from 'path'``, or the older ``import 'x@1' as ns``."""

    __slots__ = ("decorators", "path", "path_end", "path_start", "symbols", "wildcard")
    path: str
    path_start: int
    path_end: int
    symbols: list[tuple[str, str]]  # (original name, local name)
    wildcard: str | None
    decorators: list[Decorator]

    def __init__(
        self,
        start: int,
        end: int,
        path: str,
        path_start: int,
        path_end: int,
        symbols: list[tuple[str, str]],
        wildcard: str | None = None,
        decorators: list[Decorator] | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.path = path
        self.path_start = path_start
        self.path_end = path_end
        self.symbols = symbols
        self.wildcard = wildcard
        self.decorators = decorators if decorators is not None else list()


class TargetScope(Node):
    __slots__ = ("value",)
    value: Expr

    def __init__(self, start: int, end: int, value: Expr) -> None:
        self.start = start
        self.end = end
        self.value = value


class Metadata(Node):
    __slots__ = ("name", "value")
    name: str
    value: Expr

    def __init__(self, start: int, end: int, name: str, value: Expr) -> None:
        self.start = start
        self.end = end
        self.name = name
        self.value = value


class Extension(Node):
    __slots__ = ("alias", "config", "spec")
    spec: str
    alias: str | None
    config: Expr | None

    def __init__(self, start: int, end: int, spec: str, alias: str | None, config: Expr | None) -> None:
        self.start = start
        self.end = end
        self.spec = spec
        self.alias = alias
        self.config = config


class Using(Node):
    """``using 'main.bicep'`` in a .bicepparam file (``path`` None for ``using none``)."""

    __slots__ = ("path", "path_end", "path_start")
    path: str | None
    path_start: int
    path_end: int

    def __init__(self, start: int, end: int, path: str | None, path_start: int, path_end: int) -> None:
        self.start = start
        self.end = end
        self.path = path
        self.path_start = path_start
        self.path_end = path_end


class ParamValue(Node):
    """``param name = value`` in a .bicepparam file."""

    __slots__ = ("name", "name_start", "value")
    name: str
    name_start: int
    value: Expr

    def __init__(self, start: int, end: int, name: str, name_start: int, value: Expr) -> None:
        self.start = start
        self.end = end
        self.name = name
        self.name_start = name_start
        self.value = value


class Broken(Node):
    """A declaration that could not be parsed (or uses a construct acrlint does not read)."""

    __slots__ = ("at", "keyword", "message")
    message: str
    at: int  # offset of the problem
    keyword: str

    def __init__(self, start: int, end: int, message: str, at: int, keyword: str = "") -> None:
        self.start = start
        self.end = end
        self.message = message
        self.at = at
        self.keyword = keyword


Statement = (Param | Var | Output | TypeDecl | Func | Resource | Module | Import | TargetScope | Metadata | Extension
             | Using | ParamValue | Broken)


class Program:
    __slots__ = ("statements", "text")
    statements: list[Statement]
    text: str

    def __init__(self, statements: list[Statement], text: str) -> None:
        self.statements = statements
        self.text = text
