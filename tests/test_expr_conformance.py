"""Conformance of the expression evaluator with Microsoft's ARM template function reference.

Each group cites the reference page its examples and documented outputs come from
(learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-*). Parameter values
of the documented examples are in tests/fixtures/expr/doc_parameters.json.
"""
from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from linter.arm.context import DeploymentContext
from linter.arm.expr import ExprError, compile_expression, evaluate
from linter.model import Unknown

DOC_PARAMS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "expr" / "doc_parameters.json").read_text(encoding="utf-8")
)

SUB = "11111111-1111-1111-1111-111111111111"
TENANT = "22222222-2222-2222-2222-222222222222"


class FakeScope:
    """A minimal Scope: parameters/variables dicts, a fixed DeploymentContext and a copy index."""

    def __init__(self, target_scope: str = "resourceGroup", copy_index: int | None = 2) -> None:
        self.ctx = DeploymentContext(
            subscription_id=SUB,
            resource_group="examplegroup",
            location="westus",
            tenant_id=TENANT,
            deployment_name="deployment",
            management_group="myMg",
            target_scope=target_scope,
            template={"contentVersion": "1.0.0.0", "resources": []},
        )
        self.params: dict[str, Any] = dict(DOC_PARAMS)
        self.params["unknownParam"] = Unknown("runtime", ("param", "unknownparam"))
        self.vars: dict[str, Any] = {
            "myVariable": "myVariable",
            "arrayVariable": [1, 2, 3, 4],
            "objectVariable": {"property1": "value1", "property2": "value2"},
            "mixed": [1, Unknown("x"), 3],
        }
        self.index = copy_index
        self.functions: dict[tuple[str, str], dict[str, Any]] = {
            ("contoso", "buildurl"): {
                "parameters": [
                    {"name": "https", "type": "bool"},
                    {"name": "hostname", "type": "string"},
                    {"name": "path", "type": "string"},
                ],
                "output": {
                    "type": "string",
                    "value": "[format('{0}://{1}{2}', if(parameters('https'), 'https', 'http'), "
                    "parameters('hostname'), if(empty(parameters('path')), '', format('/{0}', parameters('path'))))]",
                },
            },
            ("contoso", "double"): {
                "parameters": [{"name": "n", "type": "int"}],
                "output": {"type": "int", "value": "[mul(parameters('n'), 2)]"},
            },
            ("contoso", "quad"): {
                "parameters": [{"name": "n", "type": "int"}],
                "output": {"type": "int", "value": "[contoso.double(contoso.double(parameters('n')))]"},
            },
            ("contoso", "loop"): {
                "parameters": [{"name": "n", "type": "int"}],
                "output": {"type": "int", "value": "[contoso.loop(parameters('n'))]"},
            },
            ("contoso", "usesvar"): {
                "parameters": [],
                "output": {"type": "string", "value": "[variables('myVariable')]"},
            },
            ("contoso", "usesref"): {
                "parameters": [],
                "output": {"type": "object", "value": "[reference('x', '2023-01-01')]"},
            },
            ("contoso", "opt"): {
                "parameters": [{"name": "s", "type": "string", "nullable": True}],
                "output": {"type": "string", "value": "[coalesce(parameters('s'), 'none')]"},
            },
            ("contoso", "objout"): {
                "parameters": [{"name": "name", "type": "string"}],
                "output": {"type": "object", "value": {"name": "[parameters('name')]", "literal": "[[x]"}},
            },
        }

    def parameter(self, name: str) -> Any:
        for k, v in self.params.items():
            if k.lower() == name.lower():
                return v
        raise ExprError(f"The template parameter '{name}' is not found.")

    def variable(self, name: str) -> Any:
        for k, v in self.vars.items():
            if k.lower() == name.lower():
                return v
        raise ExprError(f"The template variable '{name}' is not found.")

    def copy_index(self, loop: str | None, offset: int) -> Any:
        if self.index is None:
            raise ExprError("copyIndex() can only be used inside a copy loop")
        return self.index + offset

    def reference(self, target: Any, api_version: Any, full: bool) -> Any:
        if target == "knownStorage":
            return {"primaryEndpoints": {"blob": "https://knownstorage.blob.core.windows.net/"}}
        rid = target if target.startswith("/") else f"symbol:{target}"
        return Unknown("reference", ("ref", rid.lower(), full))

    def references(self, symbolic_name: str, full: bool) -> Any:
        return [{"name": f"{symbolic_name}-0"}, {"name": f"{symbolic_name}-1"}]

    def user_function(self, namespace: str, name: str) -> dict[str, Any] | None:
        return self.functions.get((namespace.lower(), name.lower()))

    def resource_id_of_symbol(self, symbol: str) -> Any:
        if symbol == "registry":
            return f"/subscriptions/{SUB}/resourceGroups/examplegroup/providers/Microsoft.ContainerRegistry/registries/acr1"
        return None


RG = f"/subscriptions/{SUB}/resourceGroups/examplegroup"

# (expression, expected value, target scope)
CASES: list[tuple[str, Any]] = [
    # ---------------------------------------------------------------- template-functions-array
    # array
    ("[array(1)]", [1]),
    ("[array('efgh')]", ["efgh"]),
    ("[array(json('{\"a\": \"b\", \"c\": \"d\"}'))]", [{"a": "b", "c": "d"}]),
    ("[array(parameters('arrayToTest'))]", ["one", "two", "three"]),
    # concat (arrays)
    ("[concat(parameters('firstArray'), parameters('secondArray'))]", ["1-1", "1-2", "1-3", "2-1", "2-2", "2-3"]),
    ("[concat(createArray(1), createArray(2, 3), createArray())]", [1, 2, 3]),
    # contains
    ("[contains(parameters('stringToTest'), 'e')]", True),
    ("[contains(parameters('stringToTest'), 'z')]", False),
    ("[contains(parameters('objectToTest'), 'one')]", True),
    ("[contains(parameters('objectToTest'), 'a')]", False),
    ("[contains(parameters('arrayToTest'), 'three')]", True),
    ("[contains(parameters('arrayToTest'), 'four')]", False),
    ("[contains(parameters('objectToTest'), 'ONE')]", True),
    ("[contains(parameters('stringToTest'), 'one')]", False),
    ("[contains(createArray(1, 2, 3), 2)]", True),
    ("[contains(createArray(createArray(1)), createArray(1))]", True),
    # createArray
    ("[createArray('a', 'b', 'c')]", ["a", "b", "c"]),
    ("[createArray(1, 2, 3)]", [1, 2, 3]),
    ("[createArray(parameters('objectToTest'))]", [{"one": "a", "two": "b", "three": "c"}]),
    ("[createArray(parameters('arrayToTest'))]", [["one", "two", "three"]]),
    ("[createArray()]", []),
    # empty
    ("[empty(parameters('emptyArray'))]", True),
    ("[empty(parameters('emptyObject'))]", True),
    ("[empty(parameters('empty'))]", True),
    ("[empty(parameters('arrayToTest'))]", False),
    ("[empty(null())]", True),
    # first / last
    ("[first(parameters('arrayToTest'))]", "one"),
    ("[first('One Two Three')]", "O"),
    ("[last(parameters('arrayToTest'))]", "three"),
    ("[last('One Two Three')]", "e"),
    ("[first(createArray())]", None),
    ("[last('')]", ""),
    # flatten
    ("[flatten(parameters('nestedArrays'))]", ["one", "two", "three", "four", "five"]),
    ("[flatten(createArray())]", []),
    # indexOf / lastIndexOf (arrays)
    ("[indexOf(parameters('names'), 'two')]", 1),
    ("[indexOf(parameters('names'), 'one')]", 0),
    ("[indexOf(parameters('names'), 'Three')]", -1),
    ("[indexOf(parameters('numbers'), 4)]", 0),
    ("[indexOf(parameters('numbers'), 6)]", 2),
    ("[indexOf(parameters('numbers'), '5')]", -1),
    ("[indexOf(createArray(parameters('names'), parameters('numbers')), parameters('numbers'))]", 1),
    ("[lastIndexOf(createArray('one', 'two', 'one'), 'one')]", 2),
    ("[lastIndexOf(parameters('numbers'), 4)]", 0),
    ("[lastIndexOf(parameters('numbers'), 7)]", -1),
    # intersection
    (
        "[intersection(json('{\"one\": \"a\", \"two\": \"b\", \"three\": \"c\"}'), "
        "json('{\"one\": \"a\", \"two\": \"z\", \"three\": \"c\"}'))]",
        {"one": "a", "three": "c"},
    ),
    ("[intersection(createArray('one', 'two', 'three'), createArray('two', 'three'))]", ["two", "three"]),
    ("[intersection(createArray(1, 2, 2, 3), createArray(2, 3), createArray(3, 2))]", [2, 3]),
    # length
    ("[length(parameters('arrayToTest'))]", 3),
    ("[length('One Two Three')]", 13),
    ("[length(parameters('lengthObject'))]", 4),
    ("[length(createArray())]", 0),
    # max / min
    ("[max(createArray(0, 3, 2, 5, 4))]", 5),
    ("[max(0, 3, 2, 5, 4)]", 5),
    ("[min(createArray(0, 3, 2, 5, 4))]", 0),
    ("[min(0, 3, 2, 5, 4)]", 0),
    ("[max(-1, -5)]", -1),
    # range
    ("[range(1, 5)]", [1, 2, 3, 4, 5]),
    ("[range(0, 0)]", []),
    ("[range(-2, 3)]", [-2, -1, 0]),
    ("[length(range(0, 10000))]", 10000),
    # skip / take
    ("[skip(parameters('arrayToTest'), 2)]", ["three"]),
    ("[skip('one two three', 4)]", "two three"),
    ("[skip(parameters('arrayToTest'), -1)]", ["one", "two", "three"]),
    ("[skip(parameters('arrayToTest'), 10)]", []),
    ("[take(parameters('arrayToTest'), 2)]", ["one", "two"]),
    ("[take('one two three', 2)]", "on"),
    ("[take('abc', 0)]", ""),
    ("[take(parameters('arrayToTest'), 10)]", ["one", "two", "three"]),
    # union (array page)
    (
        "[union(json('{\"one\": \"a\", \"two\": \"b\", \"three\": \"c1\"}'), "
        "json('{\"three\": \"c2\", \"four\": \"d\", \"five\": \"e\"}'))]",
        {"one": "a", "two": "b", "three": "c2", "four": "d", "five": "e"},
    ),
    ("[union(createArray('one', 'two', 'three'), createArray('three', 'four'))]", ["one", "two", "three", "four"]),
    # tryGet / tryIndexFromEnd / indexFromEnd
    ("[tryGet(parameters('objectToTest'), 'one')]", "a"),
    ("[tryGet(parameters('objectToTest'), 'missing')]", None),
    ("[tryGet(parameters('arrayToTest'), 1)]", "two"),
    ("[tryGet(parameters('arrayToTest'), 5)]", None),
    ("[tryGet(parameters('dogs'), 0, 'interests', 1)]", "Frisbee"),
    ("[tryGet(parameters('dogs'), 0, 'owner', 'name')]", None),
    ("[tryIndexFromEnd(parameters('arrayToTest'), 1)]", "three"),
    ("[tryIndexFromEnd(parameters('arrayToTest'), 3)]", "one"),
    ("[tryIndexFromEnd(parameters('arrayToTest'), 4)]", None),
    ("[indexFromEnd(parameters('arrayToTest'), 2)]", "two"),
    # ---------------------------------------------------------------- template-functions-comparison
    ("[coalesce(parameters('coalesceObject').null1, parameters('coalesceObject').null2, parameters('coalesceObject').string)]", "default"),
    ("[coalesce(parameters('coalesceObject').null1, parameters('coalesceObject').null2, parameters('coalesceObject').int)]", 1),
    ("[coalesce(parameters('coalesceObject').null1, parameters('coalesceObject').null2, parameters('coalesceObject').object)]", {"first": "default"}),
    ("[coalesce(parameters('coalesceObject').null1, parameters('coalesceObject').null2, parameters('coalesceObject').array)]", [1]),
    ("[empty(coalesce(parameters('coalesceObject').null1, parameters('coalesceObject').null2))]", True),
    ("[equals(1, 1)]", True),
    ("[equals('a', 'a')]", True),
    ("[equals(createArray('a', 'b'), createArray('a', 'b'))]", True),
    ("[equals(json('{\"a\": \"b\"}'), json('{\"a\": \"b\"}'))]", True),
    ("[not(equals(1, 2))]", True),
    ("[equals('a', 'A')]", False),
    ("[equals(1, true)]", False),
    ("[equals(null(), null())]", True),
    ("[equals(createArray(1, 2), createArray(2, 1))]", False),
    ("[greater(1, 2)]", False),
    ("[greater('A', 'a')]", True),
    ("[greaterOrEquals(1, 2)]", False),
    ("[greaterOrEquals('A', 'a')]", True),
    ("[greaterOrEquals(2, 2)]", True),
    ("[less(1, 2)]", True),
    ("[less('A', 'a')]", False),
    ("[lessOrEquals(1, 2)]", True),
    ("[lessOrEquals('A', 'a')]", False),
    ("[less('apple', 'Banana')]", True),
    # ---------------------------------------------------------------- template-functions-date
    ("[dateTimeAdd('2020-04-07 14:53:14Z', 'P3Y', 'M/d/yyyy h:mm:ss tt')]", "4/7/2023 2:53:14 PM"),
    ("[dateTimeAdd('2020-04-07 14:53:14Z', '-P9D', 'M/d/yyyy h:mm:ss tt')]", "3/29/2020 2:53:14 PM"),
    ("[dateTimeAdd('2020-04-07 14:53:14Z', 'PT1H', 'M/d/yyyy h:mm:ss tt')]", "4/7/2020 3:53:14 PM"),
    # without a format the base value's format is kept
    ("[dateTimeAdd('2020-04-07 14:53:14Z', 'P3Y')]", "2023-04-07 14:53:14Z"),
    ("[dateTimeAdd('2020-04-07T14:53:14Z', 'PT1H30M')]", "2020-04-07T16:23:14Z"),
    ("[dateTimeAdd('20200407T145314Z', 'P1D')]", "20200408T145314Z"),
    ("[dateTimeAdd('2020-01-31T00:00:00Z', 'P1M')]", "2020-02-29T00:00:00Z"),
    ("[dateTimeAdd('2020-04-07T14:53:14Z', 'P1W', 'yyyy-MM-dd')]", "2020-04-14"),
    ("[dateTimeAdd('2020-04-07T14:53:14Z', 'PT0S', 'u')]", "2020-04-07 14:53:14Z"),
    ("[dateTimeFromEpoch(1683040573)]", "2023-05-02T15:16:13Z"),
    ("[dateTimeToEpoch('2023-05-02T15:16:13Z')]", 1683040573),
    ("[dateTimeToEpoch(dateTimeFromEpoch(0))]", 0),
    # ---------------------------------------------------------------- template-functions-deployment
    ("[deployment().name]", "deployment"),
    ("[deployment().properties.mode]", "Incremental"),
    ("[deployment().properties.template.contentVersion]", "1.0.0.0"),
    ("[contains(deployment(), 'location')]", False),
    ("[environment().name]", "AzureCloud"),
    ("[environment().suffixes.acrLoginServer]", ".azurecr.io"),
    ("[environment().suffixes.storage]", "core.windows.net"),
    ("[environment().suffixes.keyvaultDns]", ".vault.azure.net"),
    ("[environment().resourceManager]", "https://management.azure.com/"),
    ("[environment().authentication.loginEndpoint]", "https://login.microsoftonline.com/"),
    ("[environment().authentication.audiences[1]]", "https://management.azure.com/"),
    ("[environment().portal]", "https://portal.azure.com"),
    ("[parameters('stringToTest')]", "OneTwoThree"),
    ("[parameters('objectToTest').two]", "b"),
    ("[variables('myVariable')]", "myVariable"),
    ("[variables('arrayVariable')]", [1, 2, 3, 4]),
    ("[variables('objectVariable')]", {"property1": "value1", "property2": "value2"}),
    ("[variables('MYVARIABLE')]", "myVariable"),
    # ---------------------------------------------------------------- template-functions-logical
    ("[and(false(), true())]", False),
    ("[or(false(), true())]", True),
    ("[not(true())]", False),
    ("[and(true(), true(), true())]", True),
    ("[or(false(), false())]", False),
    ("[bool('true')]", True),
    ("[bool('false')]", False),
    ("[bool(1)]", True),
    ("[bool(0)]", False),
    ("[bool(true)]", True),
    ("[bool('TRUE')]", True),
    ("[false()]", False),
    ("[true()]", True),
    ("[if(equals('a', 'a'), 'yes', 'no')]", "yes"),
    ("[if(equals('a', 'b'), 'yes', 'no')]", "no"),
    ("[if(equals('a', 'a'), json('{\"test\": \"value1\"}'), json('null'))]", {"test": "value1"}),
    ("[if(false, div(1, 0), 'lazy')]", "lazy"),
    ("[if(true, 'lazy', createArray(1)[5])]", "lazy"),
    # ---------------------------------------------------------------- template-functions-numeric
    ("[add(5, 3)]", 8),
    ("[sub(7, 3)]", 4),
    ("[mul(5, 3)]", 15),
    ("[div(8, 3)]", 2),
    ("[div(-8, 3)]", -2),
    ("[mod(7, 3)]", 1),
    ("[mod(-7, 3)]", -1),
    ("[int('4')]", 4),
    ("[int('-12')]", -12),
    ("[float('3.0')]", 3.0),
    ("[float(2)]", 2.0),
    ("[copyIndex()]", 2),
    ("[copyIndex(1)]", 3),
    ("[copyIndex('loop', 10)]", 12),
    ("[concat('storage', copyIndex(1))]", "storage3"),
    ("[add(-5, 5)]", 0),
    # ---------------------------------------------------------------- template-functions-object
    (
        "[createObject('intProp', 1, 'stringProp', 'abc', 'boolProp', true(), 'arrayProp', "
        "createArray('a', 'b', 'c'), 'objectProp', createObject('key1', 'value1'))]",
        {"intProp": 1, "stringProp": "abc", "boolProp": True, "arrayProp": ["a", "b", "c"], "objectProp": {"key1": "value1"}},
    ),
    ("[createObject()]", {}),
    (
        "[items(parameters('itemsObject'))]",
        [
            {"key": "item001", "value": {"enabled": True, "displayName": "Example item 1", "number": 300}},
            {"key": "item002", "value": {"enabled": False, "displayName": "Example item 2", "number": 200}},
        ],
    ),
    ("[json('{\"a\": \"b\"}')]", {"a": "b"}),
    ("[json('null')]", None),
    ("[json('\"demo value\"')]", "demo value"),
    ("[json(concat('{\"a\": \"', 'demo value', '\"}'))]", {"a": "demo value"}),
    ("[json('true')]", True),
    ("[json('3')]", 3),
    ("[json('[1, 2, 3]')]", [1, 2, 3]),
    ("[json('1.5')]", 1.5),
    ("[null()]", None),
    ("[objectKeys(json('{\"a\": 1, \"b\": 2}'))]", ["a", "b"]),
    ("[objectKeys(createObject())]", []),
    ("[shallowMerge(createArray(createObject('one', 'a'), createObject('two', 'b'), createObject('two', 'c')))]", {"one": "a", "two": "c"}),
    (
        "[shallowMerge(createArray(json('{\"one\": \"a\", \"nested\": {\"a\": 1, \"nested\": {\"c\": 3}}}'), "
        "json('{\"two\": \"b\", \"nested\": {\"b\": 2}}')))]",
        {"one": "a", "nested": {"b": 2}, "two": "b"},
    ),
    (
        "[union(parameters('unionFirstObject'), parameters('unionSecondObject'))]",
        {"property": {"one": "a", "two": "b", "three": "c2", "four": "d", "five": "e"}, "nestedArray": [3, 4]},
    ),
    (
        "[union(parameters('unionFirstArray'), parameters('unionSecondArray'))]",
        [["one", "two"], ["three"], ["four", "two"]],
    ),
    ("[contains(createObject('Key', 1), 'key')]", True),
    ("[empty(createObject('a', null()))]", False),
    ("[length(createObject('a', 1, 'b', 2))]", 2),
    ("[intersection(createObject('a', 1, 'b', 2), createObject('b', 2, 'c', 3))]", {"b": 2}),
    # ---------------------------------------------------------------- template-functions-lambda
    (
        "[filter(parameters('dogs'), lambda('dog', greaterOrEquals(lambdaVariables('dog').age, 5)))]",
        [DOC_PARAMS["dogs"][0], DOC_PARAMS["dogs"][3]],
    ),
    ("[filter(range(0, 10), lambda('i', lessOrEquals(lambdaVariables('i'), 5)))]", [0, 1, 2, 3, 4, 5]),
    ("[filter(createArray('a', 'b', 'c'), lambda('x', 'i', greater(lambdaVariables('i'), 0)))]", ["b", "c"]),
    ("[map(parameters('dogs'), lambda('dog', lambdaVariables('dog').name))]", ["Evie", "Casper", "Indy", "Kira"]),
    (
        "[map(parameters('dogs'), lambda('dog', createObject('name', lambdaVariables('dog').name, "
        "'greeting', concat('Hello ', lambdaVariables('dog').name, '!'))))]",
        [
            {"name": "Evie", "greeting": "Hello Evie!"},
            {"name": "Casper", "greeting": "Hello Casper!"},
            {"name": "Indy", "greeting": "Hello Indy!"},
            {"name": "Kira", "greeting": "Hello Kira!"},
        ],
    ),
    ("[map(range(0, 3), lambda('x', 'i', concat(string(lambdaVariables('x')), '-', string(lambdaVariables('i')))))]", ["0-0", "1-1", "2-2"]),
    (
        "[reduce(map(parameters('dogs'), lambda('dog', lambdaVariables('dog').age)), 0, "
        "lambda('cur', 'next', add(lambdaVariables('cur'), lambdaVariables('next'))))]",
        18,
    ),
    (
        "[reduce(map(parameters('dogs'), lambda('dog', lambdaVariables('dog').age)), 1, "
        "lambda('cur', 'next', add(lambdaVariables('cur'), lambdaVariables('next'))))]",
        19,
    ),
    (
        "[reduce(createArray(createObject('foo', 123), createObject('bar', 456), createObject('baz', 789)), "
        "createObject(), lambda('cur', 'next', union(lambdaVariables('cur'), lambdaVariables('next'))))]",
        {"foo": 123, "bar": 456, "baz": 789},
    ),
    (
        "[map(sort(parameters('dogs'), lambda('a', 'b', less(lambdaVariables('a').age, lambdaVariables('b').age))), "
        "lambda('d', lambdaVariables('d').name))]",
        ["Indy", "Casper", "Evie", "Kira"],
    ),
    (
        "[objectKeys(toObject(parameters('dogs'), lambda('entry', lambdaVariables('entry').name)))]",
        ["Evie", "Casper", "Indy", "Kira"],
    ),
    (
        "[toObject(parameters('dogs'), lambda('entry', lambdaVariables('entry').name), "
        "lambda('entry', lambdaVariables('entry').age))]",
        {"Evie": 5, "Casper": 3, "Indy": 2, "Kira": 8},
    ),
    (
        "[groupBy(createArray('foo', 'bar', 'baz'), lambda('x', substring(lambdaVariables('x'), 0, 1)))]",
        {"f": ["foo"], "b": ["bar", "baz"]},
    ),
    ("[mapValues(createObject('foo', 'foo'), lambda('val', toUpper(lambdaVariables('val'))))]", {"foo": "FOO"}),
    (
        "[map(createArray(1, 2), lambda('x', map(createArray(10), lambda('y', add(lambdaVariables('x'), lambdaVariables('y'))))))]",
        [[11], [12]],
    ),
    # ---------------------------------------------------------------- template-functions-string
    ("[base64('one, two, three')]", "b25lLCB0d28sIHRocmVl"),
    ("[base64ToString(parameters('base64Value'))]", "one, two, three"),
    ("[base64ToJson(parameters('jsonFormattedData'))]", {"one": "a", "two": "b"}),
    ("[concat('prefix', '-', 'suffix')]", "prefix-suffix"),
    ("[concat('a', 1, true, null())]", "a1True"),
    ("[dataUri('Hello')]", "data:text/plain;charset=utf8;base64,SGVsbG8="),
    ("[dataUriToString('data:;base64,SGVsbG8sIFdvcmxkIQ==')]", "Hello, World!"),
    ("[dataUriToString(dataUri('round trip'))]", "round trip"),
    ("[dataUriToString('data:text/plain,a%20b')]", "a b"),
    ("[endsWith('abcdef', 'ef')]", True),
    ("[endsWith('abcdef', 'F')]", True),
    ("[endsWith('abcdef', 'e')]", False),
    ("[startsWith('abcdef', 'ab')]", True),
    ("[startsWith('abcdef', 'A')]", True),
    ("[startsWith('abcdef', 'e')]", False),
    ("[format('{0}, {1}. Formatted number: {2:N0}', 'Hello', 'User', 8175133)]", "Hello, User. Formatted number: 8,175,133"),
    ("[format('{0:N2}', 1234)]", "1,234.00"),
    ("[format('{0:D3}', 7)]", "007"),
    ("[format('{0,5}|{1,-4}|', 'ab', 'cd')]", "   ab|cd  |"),
    ("[format('{{literal}} {0}', 1)]", "{literal} 1"),
    ("[format('{0} {0}', 'x')]", "x x"),
    ("[format('{0}', true)]", "True"),
    ("[format('{0:X}', 255)]", "FF"),
    ("[format('{0:x4}', 255)]", "00ff"),
    ("[format('{0:F1}', json('2.25'))]", "2.3"),
    ("[format('{0:N1}', -1234567)]", "-1,234,567.0"),
    ("[format('{0:000}', 5)]", "005"),
    ("[format('{0:P0}', json('0.25'))]", "25 %"),
    ("[format('no items')]", "no items"),
    ("[indexOf('test', 't')]", 0),
    ("[lastIndexOf('test', 't')]", 3),
    ("[indexOf('abcdef', 'CD')]", 2),
    ("[lastIndexOf('abcdef', 'AB')]", 0),
    ("[indexOf('abcdef', 'z')]", -1),
    ("[join(createArray('one', 'two', 'three'), ',')]", "one,two,three"),
    ("[join(createArray('one', 'two', 'three'), ';')]", "one;two;three"),
    ("[join(createArray(1, true, 'x'), '-')]", "1-True-x"),
    ("[padLeft('123', 10, '0')]", "0000000123"),
    ("[padLeft(7, 3, '0')]", "007"),
    ("[padLeft('abc', 2)]", "abc"),
    ("[padLeft('a', 3)]", "  a"),
    ("[replace('123-123-1234', '-', '')]", "1231231234"),
    ("[replace('123-123-1234', '1234', 'xxxx')]", "123-123-xxxx"),
    ("[split('one,two,three', ',')]", ["one", "two", "three"]),
    ("[split('one;two,three', createArray(',', ';'))]", ["one", "two", "three"]),
    ("[split('a,,b', ',')]", ["a", "", "b"]),
    ("[string(parameters('stringObject'))]", '{"valueA":10,"valueB":"Example Text"}'),
    ("[string(createArray('a', 'b', 'c'))]", '["a","b","c"]'),
    ("[string(5)]", "5"),
    ("[string(true)]", "True"),
    ("[string(false)]", "False"),
    ("[string('text')]", "text"),
    ("[string(createObject('b', true(), 'n', null()))]", '{"b":true,"n":null}'),
    ("[string(json('1.5'))]", "1.5"),
    ("[substring('one two three', 4, 3)]", "two"),
    ("[substring('one two three', 4)]", "two three"),
    ("[substring('abc', 3, 0)]", ""),
    ("[toLower('One Two Three')]", "one two three"),
    ("[toUpper('One Two Three')]", "ONE TWO THREE"),
    ("[trim('    one two three   ')]", "one two three"),
    ("[uri('http://contoso.com/resources/', 'nested/azuredeploy.json')]", "http://contoso.com/resources/nested/azuredeploy.json"),
    ("[uri('http://contoso.org/firstpath', 'myscript.sh')]", "http://contoso.org/myscript.sh"),
    ("[uri('http://contoso.org/firstpath/', 'myscript.sh')]", "http://contoso.org/firstpath/myscript.sh"),
    ("[uri('http://contoso.org/firstpath/azuredeploy.json', 'myscript.sh')]", "http://contoso.org/firstpath/myscript.sh"),
    (
        "[uri('http://contoso.org/firstpath/azuredeploy.json/', 'myscript.sh')]",
        "http://contoso.org/firstpath/azuredeploy.json/myscript.sh",
    ),
    (
        "[uriComponent('http://contoso.com/resources/nested/azuredeploy.json')]",
        "http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json",
    ),
    (
        "[uriComponentToString('http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json')]",
        "http://contoso.com/resources/nested/azuredeploy.json",
    ),
    # uniqueString: values returned by ARM deployments, published in a public repository comment
    ("[uniqueString('aaa')]", "zavj67f3en4hc"),
    ("[uniqueString('bbb')]", "w5eragfxe33cy"),
    ("[uniqueString('zzz')]", "cryksdzzzawae"),
    ("[uniqueString('xxx', 'yyy', 'zzz')]", "lghi7k5js7itq"),
    ("[length(uniqueString(resourceGroup().id))]", 13),
    ("[equals(uniqueString('a', 'b'), uniqueString('a-b'))]", True),
    ("[length(guid(resourceGroup().id))]", 36),
    ("[equals(guid('a', 'b'), guid('a-b'))]", True),
    ("[equals(guid('a'), guid('b'))]", False),
    # ---------------------------------------------------------------- template-functions-scope
    ("[resourceGroup().id]", RG),
    ("[resourceGroup().name]", "examplegroup"),
    ("[resourceGroup().location]", "westus"),
    ("[resourceGroup().type]", "Microsoft.Resources/resourceGroups"),
    ("[resourceGroup().properties.provisioningState]", "Succeeded"),
    ("[subscription().id]", f"/subscriptions/{SUB}"),
    ("[subscription().subscriptionId]", SUB),
    ("[subscription().tenantId]", TENANT),
    ("[tenant().tenantId]", TENANT),
    ("[tenant().id]", f"/tenants/{TENANT}"),
    # ---------------------------------------------------------------- template-functions-resource (RG scope)
    (
        "[resourceId('Microsoft.Storage/storageAccounts', 'examplestorage')]",
        f"{RG}/providers/Microsoft.Storage/storageAccounts/examplestorage",
    ),
    (
        "[resourceId('otherResourceGroup', 'Microsoft.Storage/storageAccounts', 'examplestorage')]",
        f"/subscriptions/{SUB}/resourceGroups/otherResourceGroup/providers/Microsoft.Storage/storageAccounts/examplestorage",
    ),
    (
        "[resourceId('11111111-1111-1111-1111-111111111111', 'otherResourceGroup', 'Microsoft.Storage/storageAccounts', 'examplestorage')]",
        "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/otherResourceGroup/providers/Microsoft.Storage/storageAccounts/examplestorage",
    ),
    (
        "[resourceId('Microsoft.SQL/servers/databases', 'serverName', 'databaseName')]",
        f"{RG}/providers/Microsoft.SQL/servers/serverName/databases/databaseName",
    ),
    (
        "[resourceId('Microsoft.ServiceBus/namespaces/queues/authorizationRules', 'namespace1', 'queue1', 'auth1')]",
        f"{RG}/providers/Microsoft.ServiceBus/namespaces/namespace1/queues/queue1/authorizationRules/auth1",
    ),
    ("[resourceId('registry')]", f"{RG}/providers/Microsoft.ContainerRegistry/registries/acr1"),
    (
        "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')]",
        f"/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7",
    ),
    (
        "[subscriptionResourceId('33333333-3333-3333-3333-333333333333', 'Microsoft.Resources/resourceGroups', 'rg2')]",
        "/subscriptions/33333333-3333-3333-3333-333333333333/providers/Microsoft.Resources/resourceGroups/rg2",
    ),
    (
        "[tenantResourceId('Microsoft.Authorization/policyDefinitions', '0a914e76-4921-4c19-b460-a2d36003525a')]",
        "/providers/Microsoft.Authorization/policyDefinitions/0a914e76-4921-4c19-b460-a2d36003525a",
    ),
    (
        "[managementGroupResourceId('Microsoft.Authorization/policyDefinitions', 'LocationRestriction')]",
        "/providers/Microsoft.Management/managementGroups/myMg/providers/Microsoft.Authorization/policyDefinitions/LocationRestriction",
    ),
    (
        "[managementGroupResourceId('otherMg', 'Microsoft.Authorization/policyDefinitions', 'p')]",
        "/providers/Microsoft.Management/managementGroups/otherMg/providers/Microsoft.Authorization/policyDefinitions/p",
    ),
    (
        "[extensionResourceId(resourceGroup().id, 'Microsoft.Authorization/locks', 'lockName')]",
        f"{RG}/providers/Microsoft.Authorization/locks/lockName",
    ),
    (
        "[extensionResourceId(resourceId('Microsoft.ContainerRegistry/registries', 'acr1'), "
        "'Microsoft.Authorization/roleAssignments', 'ra1')]",
        f"{RG}/providers/Microsoft.ContainerRegistry/registries/acr1/providers/Microsoft.Authorization/roleAssignments/ra1",
    ),
    (
        "[extensionResourceId(subscription().id, 'Microsoft.Authorization/locks', 'l')]",
        f"/subscriptions/{SUB}/providers/Microsoft.Authorization/locks/l",
    ),
    (
        "[extensionResourceId(tenantResourceId('Microsoft.Management/managementGroups', 'mg1'), "
        "'Microsoft.Authorization/policyDefinitions', 'p')]",
        "/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Authorization/policyDefinitions/p",
    ),
    ("[reference('knownStorage').primaryEndpoints.blob]", "https://knownstorage.blob.core.windows.net/"),
    ("[length(references('workers'))]", 2),
    ("[map(references('workers', 'full'), lambda('w', lambdaVariables('w').name))]", ["workers-0", "workers-1"]),
    # ---------------------------------------------------------------- grammar details
    ("[parameters('arrayToTest')[0]]", "one"),
    ("[parameters('objectToTest')['two']]", "b"),
    ("[parameters('objectToTest')[concat('th', 'ree')]]", "c"),
    ("[parameters('dogs')[1].interests[0]]", "Other dogs"),
    ("[parameters('objectToTest').TWO]", "b"),
    ("[CONCAT('a', 'b')]", "ab"),
    ("[  concat( 'a' ,\n 'b' )  ]", "ab"),
    ("['it''s']", "it's"),
    ("[-5]", -5),
    ("[createArray(true, false, null)]", [True, False, None]),
    ("[contoso.buildUrl(true, 'mydomain.com', 'foo')]", "https://mydomain.com/foo"),
    ("[contoso.buildUrl(false, 'mydomain.com', '')]", "http://mydomain.com"),
    ("[contoso.quad(3)]", 12),
    ("[contoso.objOut('n')]", {"name": "n", "literal": "[x]"}),
    ("[contoso.opt(null())]", "none"),  # a nullable parameter of a user-defined function (Bicep `string?`)
    ("[resourceGroup().tags]", Unknown("x", ("resourcegroup", "tags"))),  # not in the linted files: never {} or null
    # ---------------------------------------------------------------- template-functions-cidr
    ("[parseCidr('10.144.0.0/20')]", {"network": "10.144.0.0", "netmask": "255.255.240.0", "broadcast": "10.144.15.255",
                                      "firstUsable": "10.144.0.1", "lastUsable": "10.144.15.254", "cidr": 20}),
    ("[parseCidr('fdad:3236:5555::/48')]", {"network": "fdad:3236:5555::", "netmask": "ffff:ffff:ffff::", "firstUsable": "fdad:3236:5555::",
                                            "lastUsable": "fdad:3236:5555:ffff:ffff:ffff:ffff:ffff", "cidr": 48}),
    ("[cidrSubnet('10.144.0.0/20', 24, 0)]", "10.144.0.0/24"),
    ("[cidrSubnet('10.144.0.0/20', 24, 4)]", "10.144.4.0/24"),
    ("[cidrSubnet('fdad:3236:5555::/48', 52, 0)]", "fdad:3236:5555::/52"),
    ("[cidrSubnet('fdad:3236:5555::/48', 52, 4)]", "fdad:3236:5555:4000::/52"),
    ("[cidrHost('10.144.3.0/24', 0)]", "10.144.3.1"),
    ("[cidrHost('10.144.3.0/24', 4)]", "10.144.3.5"),
    ("[cidrHost('fdad:3236:5555:3000::/52', 0)]", "fdad:3236:5555:3000::1"),
    ("[cidrHost('fdad:3236:5555:3000::/52', 4)]", "fdad:3236:5555:3000::5"),
    ("[sys.cidrHost('192.168.1.0/24', 0)]", "192.168.1.1"),  # the reference's worked example; all are in the sys namespace
    # ---------------------------------------------------------------- json(): what ARM's reader takes beyond RFC 8259
    ("[json('[1,2,3 ]')]", [1, 2, 3]),
    ("[json('.25')]", 0.25),
    ("[json('{\"a\": 1, /* why */ \"b\": 2} // end')]", {"a": 1, "b": 2}),
    ("[json('{a: ''x'', \"b\": [1, 2,],}')]", {"a": "x", "b": [1, 2]}),
    ("[json('null')]", None),
]

PLAIN_CASES: list[tuple[Any, Any]] = [
    ("plain string", "plain string"),
    ("[[literal]", "[literal]"),
    ("[[concat('a')]", "[concat('a')]"),
    ("[not an expression", "[not an expression"),
    ("", ""),
    ("[", "["),
    (5, 5),
    (None, None),
]


@pytest.mark.parametrize(("expr", "expected"), CASES, ids=[c[0][:60] for c in CASES])
def test_documented_values(expr: str, expected: Any) -> None:
    assert evaluate(expr, FakeScope()) == expected


@pytest.mark.parametrize(("value", "expected"), PLAIN_CASES)
def test_non_expressions(value: Any, expected: Any) -> None:
    assert evaluate(value, FakeScope()) == expected


# ---------------------------------------------------------------- deployment scopes
# template-functions-resource: "The format of the returned identifier varies based on whether the
# deployment happens at the scope of a resource group, subscription, management group, or tenant."
SCOPED_CASES: list[tuple[str, str, Any]] = [
    ("subscription", "[resourceId('Microsoft.Resources/resourceGroups', 'rg1')]",
     f"/subscriptions/{SUB}/providers/Microsoft.Resources/resourceGroups/rg1"),
    ("subscription", "[resourceId('rg1', 'Microsoft.Storage/storageAccounts', 'sa')]",
     f"/subscriptions/{SUB}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/sa"),
    ("subscription", "[subscriptionResourceId('Microsoft.Resources/resourceGroups', 'rg1')]",
     f"/subscriptions/{SUB}/providers/Microsoft.Resources/resourceGroups/rg1"),
    ("subscription", "[extensionResourceId(subscription().id, 'Microsoft.Authorization/policyAssignments', 'pa')]",
     f"/subscriptions/{SUB}/providers/Microsoft.Authorization/policyAssignments/pa"),
    ("subscription", "[deployment().location]", "westus"),
    ("subscription", "[subscription().subscriptionId]", SUB),
    ("managementGroup", "[resourceId('Microsoft.Authorization/policyDefinitions', 'p')]",
     "/providers/Microsoft.Authorization/policyDefinitions/p"),
    ("managementGroup", "[managementGroupResourceId('Microsoft.Authorization/policyDefinitions', 'p')]",
     "/providers/Microsoft.Management/managementGroups/myMg/providers/Microsoft.Authorization/policyDefinitions/p"),
    ("managementGroup", "[extensionResourceId(managementGroup().id, 'Microsoft.Authorization/policyDefinitions', 'p')]",
     "/providers/Microsoft.Management/managementGroups/myMg/providers/Microsoft.Authorization/policyDefinitions/p"),
    ("managementGroup", "[managementGroup().name]", "myMg"),
    ("managementGroup", "[managementGroup().type]", "/providers/Microsoft.Management/managementGroups"),
    ("managementGroup", "[subscriptionResourceId('44444444-4444-4444-4444-444444444444', 'Microsoft.Resources/resourceGroups', 'rg')]",
     "/subscriptions/44444444-4444-4444-4444-444444444444/providers/Microsoft.Resources/resourceGroups/rg"),
    ("tenant", "[resourceId('Microsoft.Management/managementGroups', 'mg1')]",
     "/providers/Microsoft.Management/managementGroups/mg1"),
    ("tenant", "[tenantResourceId('Microsoft.Authorization/policyDefinitions', 'p')]",
     "/providers/Microsoft.Authorization/policyDefinitions/p"),
    ("tenant", "[managementGroupResourceId('mg2', 'Microsoft.Authorization/roleDefinitions', 'r')]",
     "/providers/Microsoft.Management/managementGroups/mg2/providers/Microsoft.Authorization/roleDefinitions/r"),
    ("tenant", "[extensionResourceId(tenantResourceId('Microsoft.Management/managementGroups', 'mg1'), 'Microsoft.Authorization/roleAssignments', 'ra')]",
     "/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Authorization/roleAssignments/ra"),
    ("tenant", "[deployment().location]", "westus"),
    ("tenant", "[tenant().tenantId]", TENANT),
]


@pytest.mark.parametrize(("scope", "expr", "expected"), SCOPED_CASES, ids=[f"{c[0]}:{c[1][:50]}" for c in SCOPED_CASES])
def test_deployment_scopes(scope: str, expr: str, expected: Any) -> None:
    assert evaluate(expr, FakeScope(scope)) == expected


@pytest.mark.parametrize(
    ("scope", "expr", "match"),
    [
        ("subscription", "[resourceGroup()]", r"resourceGroup\(\) can't be used in a deployment at subscription scope"),
        ("tenant", "[subscription()]", r"subscription\(\) can't be used in a deployment at tenant scope"),
        ("resourceGroup", "[managementGroup()]", r"managementGroup\(\) can't be used"),
        ("tenant", "[resourceId('rg', 'Microsoft.Storage/storageAccounts', 'sa')]", r"resource group name can't be given"),
        ("tenant", "[subscriptionResourceId('Microsoft.Resources/resourceGroups', 'rg')]", r"needs a subscription ID"),
    ],
)
def test_scope_errors(scope: str, expr: str, match: str) -> None:
    with pytest.raises(ExprError, match=match):
        evaluate(expr, FakeScope(scope))


# ---------------------------------------------------------------- errors as ARM reports them
ERROR_CASES: list[tuple[str, str]] = [
    ("[add('a', 1)]", r"add\(\) expects its first argument to be an integer, got string"),
    ("[sub(1, 'b')]", r"sub\(\) expects its second argument to be an integer, got string"),
    ("[div(1, 0)]", r"div\(\): attempted to divide by zero"),
    ("[mod(1, 0)]", r"mod\(\): attempted to divide by zero"),
    ("[mul(9223372036854775807, 2)]", r"overflows a 64-bit integer"),
    ("[createArray(1, 2)[2]]", r"The language expression property array index '2' is out of bounds\."),
    ("[createArray(1, 2)[-1]]", r"array index '-1' is out of bounds"),
    ("[parameters('objectToTest').four]", r"The language expression property 'four' doesn't exist, available properties are 'one, two, three'\."),
    ("[parameters('arrayToTest').name]", r"cannot select property 'name' of an array"),
    ("[null().name]", r"cannot access property 'name' of a null value"),
    ("['abc'[0]]", r"cannot access property '0' of a value of type string"),
    ("[parameters('missing')]", r"The template parameter 'missing' is not found\."),
    ("[variables('missing')]", r"The template variable 'missing' is not found\."),
    ("[substring('1234567890', 0, 11)]", r"The index parameter: '0', the length parameter: '11', the length of the string parameter: '10'\."),
    ("[substring('abc', 4)]", r"must refer to a location within the string"),
    ("[range(0, 10001)]", r"range\(\) count must not exceed 10000"),
    ("[range(0, -1)]", r"range\(\) count must be zero or greater"),
    ("[range(2147483647, 1)]", r"must not exceed 2147483647"),
    ("[concat('a', createArray(1))]", r"concat\(\) cannot combine strings with a value of type array"),
    ("[concat(createArray(1), 'a')]", r"concat\(\) cannot combine arrays with a value of type string"),
    ("[if('yes', 1, 2)]", r"if\(\) expects its first argument to be a boolean, got string"),
    ("[and(true, 'x')]", r"and\(\) expects its second argument to be a boolean"),
    ("[not(1)]", r"not\(\) expects its first argument to be a boolean, got int"),
    ("[bool('maybe')]", r"bool\(\) cannot convert the string 'maybe'"),
    ("[int('4.5')]", r"int\(\) cannot convert the string '4.5' to an integer"),
    ("[float('abc')]", r"float\(\) cannot convert the string 'abc'"),
    ("[json('{bad')]", r"json\(\): the value is not valid JSON"),
    ("[base64ToString('***')]", r"base64ToString\(\): the value is not a valid base64 string"),
    ("[dataUriToString('hello')]", r"not a valid data URI"),
    ("[format('{1}', 'a')]", r"Index \(zero based\) must be greater than or equal to zero"),
    ("[format('{0', 'a')]", r"Input string was not in a correct format"),
    ("[format('a } b')]", r"Input string was not in a correct format"),
    ("[padLeft('a', 3, 'xy')]", r"padding character to be a single character"),
    ("[replace('abc', '', 'x')]", r"the string to replace can't be empty"),
    ("[greater('a', 1)]", r"greater\(\) expects two integers or two strings, got string and int"),
    ("[length(1)]", r"length\(\) expects its first argument to be an array, object or string, got int"),
    ("[max(createArray())]", r"max\(\) of an empty array"),
    ("[min('a', 'b')]", r"min\(\) expects integers, got string"),
    ("[union(createArray(1), createObject())]", r"union\(\) expects all arguments to be arrays or all to be objects"),
    ("[createObject('a')]", r"createObject\(\) expects an even number of arguments"),
    ("[createObject(1, 'a')]", r"createObject\(\) expects its first argument to be a string property name"),
    ("[guid(1)]", r"guid\(\) expects its first argument to be a string, got int"),
    ("[uniqueString(createArray())]", r"uniqueString\(\) expects its first argument to be a string"),
    ("[dateTimeAdd('not a date', 'P1D')]", r"'not a date' is not a valid date-time value"),
    ("[dateTimeAdd('2020-01-01T00:00:00Z', '1 day')]", r"'1 day' is not a valid ISO 8601 duration"),
    ("[uri('relative/path', 'x')]", r"is not an absolute URI"),
    ("[flatten(createArray(1))]", r"flatten\(\) expects an array of arrays"),
    ("[indexFromEnd(createArray(1), 2)]", r"out of bounds"),
    ("[resourceId('Microsoft.Storage/storageAccounts')]", r"needs 1 resource name, got 0"),
    ("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet')]", r"needs 2 resource names, got 1"),
    ("[resourceId('notASymbol')]", r"neither a resource type nor a symbolic resource name"),
    ("[tenantResourceId('x', 'Microsoft.Authorization/policyDefinitions', 'p')]", r"expects the resource type as its first argument"),
    ("[extensionResourceId('notAnId', 'Microsoft.Authorization/locks', 'l')]", r"'notAnId' is not a resource ID"),
    ("[filter(createArray(1), 'x')]", r"filter\(\) expects a lambda function as an argument"),
    ("[map(createArray(1), lambda('a', 'b', 'c', 1))]", r"the lambda passed to map\(\) must take 1 to 2 parameters, got 3"),
    ("[filter(createArray(1), lambda('x', 1))]", r"must return a boolean, got int"),
    ("[lambda('x', 1)]", r"lambda\(\) can only be used as an argument"),
    ("[lambdaVariables('x')]", r"no lambda variable named 'x' is in scope"),
    ("[contoso.loop(1)]", r"user-defined function 'contoso.loop' calls itself; recursion isn't allowed"),
    ("[contoso.usesVar()]", r"variables\(\) can't be used in a user-defined function"),
    ("[contoso.usesRef()]", r"reference\(\) can't be used in a user-defined function"),
    ("[contoso.double('x')]", r"parameter 'n' expects int, got string"),
    ("[contoso.double(1, 2)]", r"user-defined function 'contoso.double' expects 1 argument, got 2"),
    ("[contoso.missing()]", r"unknown function 'contoso.missing'"),
    ("[other.fn()]", r"unknown function 'other.fn'"),
    ("[fail('Configuration error: pick one')]", r"the template calls fail\(\): Configuration error: pick one"),
    ("[if(true(), fail('taken'), 1)]", r"the template calls fail\(\): taken"),
    ("[cidrSubnet('10.144.0.0/20', 16, 0)]", r"cidrSubnet\(\): the new CIDR 16 must be between 20 and 32"),
    ("[cidrSubnet('10.144.0.0/20', 24, 16)]", r"subnet index 16 is out of range: 10.144.0.0/20 has 16 subnets of /24"),
    ("[cidrHost('10.144.3.0/24', 254)]", r"host index 254 is out of range: 10.144.3.0/24 has 254 usable addresses"),
    ("[parseCidr('10.144.0.0')]", r"'10.144.0.0' is not in CIDR notation"),
    ("[parseCidr('10.300.0.0/8')]", r"'10.300.0.0/8' is not a valid IP address range"),
]


@pytest.mark.parametrize(("expr", "match"), ERROR_CASES, ids=[c[0][:60] for c in ERROR_CASES])
def test_errors(expr: str, match: str) -> None:
    with pytest.raises(ExprError, match=match):
        evaluate(expr, FakeScope())


def test_copy_index_outside_loop() -> None:
    with pytest.raises(ExprError, match=r"copyIndex\(\) can only be used inside a copy loop"):
        evaluate("[copyIndex()]", FakeScope(copy_index=None))


def test_runtime_error_offset_points_at_the_call() -> None:
    with pytest.raises(ExprError) as info:
        evaluate("[concat('a', div(1, 0))]", FakeScope())
    assert info.value.offset == 13


# ---------------------------------------------------------------- Unknown propagation
def _unknown(expr: str, scope: FakeScope | None = None) -> Unknown:
    value = evaluate(expr, scope or FakeScope())
    assert isinstance(value, Unknown), value
    return value


def test_reference_full_member_chain_keeps_origin() -> None:
    v = _unknown("[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id1'), '2023-01-31', 'Full').identity.principalId]")
    rid = f"{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1".lower()
    assert v.origin == ("ref", rid, True, "identity", "principalid")


def test_reference_symbolic_name_goes_to_scope() -> None:
    v = _unknown("[reference('registry').loginServer]")
    assert v.origin == ("ref", "symbol:registry", False, "loginserver")


def test_index_on_unknown_keeps_origin() -> None:
    v = _unknown("[reference('/x/y', '2020-01-01', 'Full')['properties'][0]]")
    assert v.origin == ("ref", "/x/y", True, "properties", 0)


def test_same_origin_unknowns_compare_equal() -> None:
    assert evaluate("[equals(reference('/a').x, reference('/a').x)]", FakeScope()) is True
    assert isinstance(evaluate("[equals(reference('/a').x, reference('/b').x)]", FakeScope()), Unknown)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("[if(true, 'x', parameters('unknownParam'))]", "x"),
        ("[if(false, parameters('unknownParam'), 'y')]", "y"),
        ("[if(equals(parameters('unknownParam'), 1), 'same', 'same')]", "same"),
        ("[and(false, parameters('unknownParam'))]", False),
        ("[and(parameters('unknownParam'), false)]", False),
        ("[or(true, parameters('unknownParam'))]", True),
        ("[or(parameters('unknownParam'), true)]", True),
        ("[coalesce(null(), 'a', parameters('unknownParam'))]", "a"),
        ("[length(variables('mixed'))]", 3),
        ("[length(createArray(parameters('unknownParam'), 1))]", 2),
        ("[empty(variables('mixed'))]", False),
        ("[contains(variables('mixed'), 1)]", True),
        ("[variables('mixed')[0]]", 1),
        ("[first(variables('mixed'))]", 1),
        ("[indexOf(variables('mixed'), 1)]", 0),
        ("[contains(createObject('k', parameters('unknownParam')), 'k')]", True),
        ("[objectKeys(createObject('k', parameters('unknownParam')))]", ["k"]),
        ("[length(concat(variables('mixed'), createArray(4)))]", 4),
        ("[tryGet(createObject('a', parameters('unknownParam')), 'b')]", None),
        ("[resourceGroup().name]", "examplegroup"),
    ],
)
def test_unknown_decidable(expr: str, expected: Any) -> None:
    assert evaluate(expr, FakeScope()) == expected


def test_concat_arrays_keeps_unknown_elements() -> None:
    v = evaluate("[concat(variables('mixed'), createArray(parameters('unknownParam')))]", FakeScope())
    assert isinstance(v, list) and len(v) == 4
    assert v[0] == 1 and isinstance(v[1], Unknown) and v[2] == 3
    assert v[3].origin == ("param", "unknownparam")


@pytest.mark.parametrize(
    "expr",
    [
        "[concat('a', parameters('unknownParam'))]",
        "[add(parameters('unknownParam'), 1)]",
        "[if(parameters('unknownParam'), 'a', 'b')]",
        "[and(true, parameters('unknownParam'))]",
        "[or(false, parameters('unknownParam'))]",
        "[coalesce(null(), parameters('unknownParam'), 'a')]",
        "[contains(variables('mixed'), 5)]",
        "[string(variables('mixed'))]",
        "[equals(parameters('unknownParam'), 1)]",
        "[toUpper(parameters('unknownParam'))]",
        "[uniqueString(resourceGroup().id, parameters('unknownParam'))]",
        "[utcNow()]",
        "[utcNow('u')]",
        "[newGuid()]",
        "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'sa'), '2023-01-01').keys[0].value]",
        "[listCredentials(resourceId('Microsoft.ContainerRegistry/registries', 'acr'), '2023-07-01').passwords[0].value]",
        "[pickZones('Microsoft.Compute', 'virtualMachines', 'westus2')]",
        "[providers('Microsoft.Web', 'sites')]",
        "[subscription().displayName]",
        "[deployment().properties.templateHash]",
        "[map(parameters('unknownParam'), lambda('x', 1))]",
        "[filter(variables('mixed'), lambda('x', equals(lambdaVariables('x'), 3)))]",
        "[parameters('objectToTest')[parameters('unknownParam')]]",
        "[length(parameters('unknownParam'))]",
    ],
)
def test_unknown_propagates(expr: str) -> None:
    _unknown(expr)


def test_list_functions_have_traceable_origin() -> None:
    v = _unknown("[listKeys('/subscriptions/x/sa', '2023-01-01').keys]")
    assert v.origin == ("list", "/subscriptions/x/sa", "listkeys", "keys")


def test_member_of_unknown_parameter_keeps_origin() -> None:
    v = _unknown("[parameters('unknownParam').a.B[2]]")
    assert v.origin == ("param", "unknownparam", "a", "b", 2)


# ---------------------------------------------------------------- guid / uniqueString algorithm
def test_guid_is_uuid5_over_hyphen_joined_args() -> None:
    ns = uuid.UUID("11fb06fb-712d-4ddd-98c7-e71bbd588830")
    got = evaluate("[guid(resourceGroup().id, 'acr', 'reader')]", FakeScope())
    assert got == str(uuid.uuid5(ns, f"{RG}-acr-reader"))
    assert uuid.UUID(got).version == 5


def test_unique_string_alphabet() -> None:
    v = evaluate("[uniqueString(subscription().subscriptionId, 'x')]", FakeScope())
    assert len(v) == 13 and set(v) <= set("abcdefghijklmnopqrstuvwxyz234567")


def test_compiled_ast_is_cached() -> None:
    assert compile_expression("[concat('a', 'b')]") is compile_expression("[concat('a', 'b')]")


def test_bounds() -> None:
    with pytest.raises(ExprError, match="more than 10000000 characters"):
        evaluate("[padLeft('a', 20000000)]", FakeScope())
    with pytest.raises(ExprError, match="more than 10000000 characters"):
        evaluate(
            "[reduce(range(0, 40), 'xxxxxxxxxxxxxxxx', lambda('acc', 'n', concat(lambdaVariables('acc'), lambdaVariables('acc'))))]",
            FakeScope(),
        )
    with pytest.raises(ExprError, match="nested too deeply"):
        evaluate("[" + "createArray(" * 300 + ")" * 300 + "]", FakeScope())
    deep = "[" + "json('" + "[" * 5000 + "]" * 5000 + "')]"
    with pytest.raises(ExprError):
        evaluate(deep, FakeScope())


def test_case_count() -> None:
    # the brief asks for at least 250 table-driven conformance cases
    assert len(CASES) + len(SCOPED_CASES) + len(ERROR_CASES) >= 250


def test_error_inside_user_function_points_at_the_call() -> None:
    with pytest.raises(ExprError, match=r"in user-defined function 'contoso.usesVar': variables\(\)") as info:
        evaluate("[concat('a', contoso.usesVar())]", FakeScope())
    assert info.value.offset == 13


# ---------------------------------------------------------------- evaluation from a skeleton
# evaluate() runs an expression's skeleton tree (its string literals cut out, Hole nodes in their place): the
# values and the errors, offsets included, are those of the tree parsed from the real text.


@pytest.mark.parametrize(
    "expr",
    [
        "[int('not a number')]",
        "[concat('a long literal before the failing call', int('x'))]",
        "[format('{0} and {1}', 'only one value')]",
        "[concat('it''s', 'quoted ''twice''', skip('abc', 'not an int'))]",
        "[if(equals('a', 'a'), first(''), last('x'))]",
        "[concat('x', 'y', parameters('absent'))]",
        "[guid('a', 'b', 'c')]",
        "[concat('it''s', ' ', 'fine')]",
        "[toLower(createObject('key', 'VALUE').key)]",
        "[createObject('k', 'v')['missing']]",
    ],
)
def test_skeleton_evaluation_matches_the_parsed_tree(expr: str) -> None:
    from linter.arm.expr import _parse, evaluate_node

    def outcome(run: Any) -> Any:
        try:
            return ("value", run())
        except ExprError as e:
            return ("error", e.message, e.offset)

    expected = outcome(lambda: evaluate_node(_parse(expr), FakeScope()))
    assert outcome(lambda: evaluate(expr, FakeScope())) == expected
    if expected[0] == "error":  # the offset is in the real text, past every literal before the failing call
        assert expected[2] is not None
