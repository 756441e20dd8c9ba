#!/usr/bin/python3
"""Validate YAML files against jmap's JSON Schemas with a real validator (python3-jsonschema).

Run with Debian's /usr/bin/python3 (python3-jsonschema, python3-yaml). tests/test_schema.c
drives it:

  schema_check.py metaschema SCHEMA...        each schema is a valid draft-07 schema
  schema_check.py valid SCHEMA FILE...        every file validates
  schema_check.py invalid SCHEMA FILE...      no file validates
  schema_check.py probe SCHEMA JMAP DIR       small maps (or stage models, and a map on each)
                                              derived from the schema agree with `jmap check`
                                              (the drift test)

Files are read the way jmap reads YAML, not the way PyYAML does by default: a plain scalar is
null when jmap's is (empty, ~, null, Null, NULL), a number when it has jmap's number syntax
(decimal only: 010 is ten, 0x10 is text) and text otherwise (yes, on and 2026-01-01 stay text);
merge keys (<<) are resolved as jmap and yaml-language-server resolve them. A file that must
be valid is also validated as an editor reads it (YAML 1.2's core schema, yaml-language-server's
default), where true is a boolean and 0x10 a number.
"""
import json
import os
import re
import subprocess
import sys

import jsonschema
import yaml

NUMBER = re.compile(r'^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$')
INTEGER = re.compile(r'^[-+]?[0-9]+$')
NULL = re.compile(r'^(~|null|Null|NULL|)$')


class JmapLoader(yaml.SafeLoader):
    """SafeLoader with jmap's plain-scalar types."""


JmapLoader.yaml_implicit_resolvers = {}
JmapLoader.add_implicit_resolver('tag:yaml.org,2002:null', NULL, ['~', 'n', 'N', ''])
JmapLoader.add_implicit_resolver('tag:jmap,number', NUMBER, list('-+.0123456789'))
JmapLoader.add_implicit_resolver('tag:yaml.org,2002:merge', re.compile(r'^<<$'), ['<'])


def construct_number(loader, node):
    text = loader.construct_scalar(node)
    return int(text) if INTEGER.match(text) else float(text)


JmapLoader.add_constructor('tag:jmap,number', construct_number)


class CoreLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2's core schema, as yaml-language-server reads a file by default:
    true/false are booleans, 0x10 and 0o10 are integers, .inf is a number, yes is text."""


CORE = {
    'tag:yaml.org,2002:null': (NULL, ['~', 'n', 'N', '']),
    'tag:yaml.org,2002:bool': (re.compile(r'^(true|True|TRUE|false|False|FALSE)$'), list('tTfF')),
    'tag:jmap,core-int': (re.compile(r'^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$'),
                          list('-+0123456789')),
    'tag:jmap,core-float': (re.compile(r'^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?'
                                       r'|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$'),
                            list('-+.0123456789')),
}
CoreLoader.yaml_implicit_resolvers = {}
for _tag, (_re, _first) in CORE.items():
    CoreLoader.add_implicit_resolver(_tag, _re, _first)
CoreLoader.add_implicit_resolver('tag:yaml.org,2002:merge', re.compile(r'^<<$'), ['<'])


def construct_core_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith(('0o', '0x')):
        return int(text[2:], 8 if text[1] == 'o' else 16)
    return int(text, 10)


def construct_core_float(loader, node):
    text = loader.construct_scalar(node).lower()
    return float(text.replace('.inf', 'inf').replace('.nan', 'nan'))


CoreLoader.add_constructor('tag:yaml.org,2002:bool', yaml.SafeLoader.construct_yaml_bool)
CoreLoader.add_constructor('tag:jmap,core-int', construct_core_int)
CoreLoader.add_constructor('tag:jmap,core-float', construct_core_float)


def load(path, loader=JmapLoader):
    with open(path, encoding='utf-8') as f:
        return yaml.load(f, Loader=loader)


def schema_of(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def errors(validator, path, loader=JmapLoader):
    try:
        doc = load(path, loader)
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        return ['cannot read: %s' % str(e).replace('\n', ' ')]
    return ['%s: %s' % ('/'.join(str(p) for p in e.absolute_path) or '(top)', e.message)
            for e in validator.iter_errors(doc)]


def main(argv):
    cmd = argv[1]
    if cmd == 'metaschema':
        for path in argv[2:]:
            jsonschema.Draft7Validator.check_schema(schema_of(path))
            print('%s: a valid draft-07 schema' % path)
        return 0
    validator = jsonschema.Draft7Validator(schema_of(argv[2]))
    if cmd == 'probe':
        return probe(validator, argv[3], argv[4])
    bad = 0
    for path in argv[3:]:
        errs = errors(validator, path)
        if cmd == 'valid' and not errs:
            # a map jmap accepts must not be underlined in an editor either
            errs = ['as an editor reads it (YAML 1.2 core): ' + e
                    for e in errors(validator, path, CoreLoader)]
        if cmd == 'valid' and errs:
            bad += 1
            print('%s: does not validate:\n  %s' % (path, '\n  '.join(errs)))
        elif cmd == 'invalid' and not errs:
            bad += 1
            print('%s: validates, but jmap rejects it' % path)
        else:
            print('%s: %s' % (path, 'valid' if not errs else 'rejected: ' + errs[0]))
    return 1 if bad else 0


# ---- the drift test -----------------------------------------------------------------------

BASE = {
    'title': 'Probe',
    'personas': [{'id': 'ana', 'name': 'Ana'}],
    'stages': [{'id': 'purchase', 'kpis': [{'name': 'Orders', 'target': 10}]}],
    'touchpoints': [{'stage': 'purchase', 'persona': 'ana', 'name': 'Checkout'}],
}
# Where each definition sits in BASE, so a probe can change one key of one mapping.
PLACES = {'map': [], 'persona': ['personas', 0], 'stage': ['stages', 0],
          'touchpoint': ['touchpoints', 0], 'kpi': ['stages', 0, 'kpis', 0]}

# A stage-model file, and a map on it that jmap checks with it.
MODEL_BASE = {'id': 'mine', 'name': 'Mine', 'stages': [{'id': 'one', 'kpis': ['Visits']}]}
MODEL_PLACES = {'model': [], 'stage': ['stages', 0]}
MAP_ON_MODEL = {
    'title': 'Probe',
    'model': 'probe-model.yaml',
    'personas': [{'id': 'ana', 'name': 'Ana'}],
    'touchpoints': [{'stage': 'one', 'persona': 'ana', 'name': 'Checkout'}],
}


def probes(schema, top):
    """(name, place, key, value, valid) for each key: values its rule accepts and rejects."""
    defs = dict(schema['definitions'])
    defs[top] = schema
    for where, d in sorted(defs.items()):
        yield ('unknown key in %s' % where, where, 'no-such-key', 'x', False)
        yield ('extension key in %s' % where, where, 'x-note', 'x', True)
        for key in d.get('required', []):
            yield ('%s without %s' % (where, key), where, key, None, False)
        for key, p in sorted(d['properties'].items()):
            types = p.get('type')
            types = [types] if isinstance(types, str) else types or []
            if 'enum' in p:
                for word in p['enum']:
                    if word is not None:
                        yield ('%s.%s = %s' % (where, key, word), where, key, word, True)
                yield ('%s.%s = a bad word' % (where, key), where, key, 'nosuchword', False)
            if 'maximum' in p:
                lo, hi = p['minimum'], p['maximum']
                for v, ok in ((lo, True), (hi, True), (lo - 1, False), (hi + 1, False)):
                    yield ('%s.%s = %s' % (where, key, v), where, key, v, ok)
                if 'integer' in types:
                    yield ('%s.%s = 1.5' % (where, key), where, key, 1.5, False)
                yield ('%s.%s = text' % (where, key), where, key, 'text', False)
            if 'array' in types and 'minItems' in p:
                yield ('%s.%s = []' % (where, key), where, key, [], False)
            if ('array' in types or 'object' in types) and 'string' not in types:
                yield ('%s.%s = text' % (where, key), where, key, 'text', False)
            if 'string' in types:
                yield ('%s.%s = a mapping' % (where, key), where, key, {'a': 'b'}, False)
            if 'pattern' in p and p['pattern'].startswith('^'):
                for v, ok in PATTERN_PROBES.get(key, []):
                    yield ('%s.%s = %r' % (where, key, v), where, key, v, ok)
    if top == 'map':
        yield ('map without model and stages', 'map', 'model', None, False)
        yield ('map with a model and no stages', 'map', 'model', 'three-stage', True)


PATTERN_PROBES = {
    'id': [('ana', True), ('2fa', True), ('step_2', True), ('Ana', False), ('-x', False),
           ('zoë', False), ('a b', False)],
    'color': [('#0af', True), ('#0072B2', True), ('red', False), ('#0072B2ff', False),
              ('#12', False)],
    'url': [('https://example.com/x', True), ('HTTP://example.com', True),
            ('mailto:cx@example.com', True), ('example.com', False),
            ('javascript:alert(1)', False), ('ftp://example.com', False), ('https://', False),
            ('mailto:', False), ('https://example.com/a b', False)],
}


def probe_doc(top, where, key, value):
    """The probe document, and the map that uses it (the same document for a map)."""
    doc = json.loads(json.dumps(BASE if top == 'map' else MODEL_BASE))
    user = doc if top == 'map' else json.loads(json.dumps(MAP_ON_MODEL))
    if top == 'map' and where == 'map' and key == 'model' and value is None:
        del doc['stages']
        return doc, user
    if top == 'map' and where == 'map' and key == 'model' and value == 'three-stage':
        del doc['stages']  # its stages come from the model
    target = doc
    for step in (PLACES if top == 'map' else MODEL_PLACES)[where]:
        target = target[step]
    if where == 'touchpoint' and key == 'personas':
        del target['persona']
    if key == 'id' and where in ('stage', 'persona') and isinstance(value, str):
        user['touchpoints'][0][where] = value  # the touchpoint follows the renamed id
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value
    return doc, user


def probe(validator, jmap, tmpdir):
    top = 'map' if validator.schema['title'] == 'jmap map' else 'model'
    bad = 0
    n = 0
    for name, where, key, value, ok in probes(validator.schema, top):
        doc, user = probe_doc(top, where, key, value)
        path = os.path.join(tmpdir, 'probe.yaml' if top == 'map' else 'probe-model.yaml')
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(doc, f, ensure_ascii=False)  # JSON is YAML
        schema_ok = not list(validator.iter_errors(load(path)))
        map_path = os.path.join(tmpdir, 'probe.yaml')
        if top != 'map':
            with open(map_path, 'w', encoding='utf-8') as f:
                json.dump(user, f, ensure_ascii=False)
        run = subprocess.run([jmap, 'check', '--color', 'never', map_path], capture_output=True,
                             text=True, timeout=60)
        jmap_ok = run.returncode == 0
        n += 1
        if schema_ok != ok or jmap_ok != ok:
            bad += 1
            print('probe %s: expected %s; the schema %s, jmap %s\n%s' % (
                name, 'valid' if ok else 'invalid', 'accepts' if schema_ok else 'rejects',
                'accepts' if jmap_ok else 'rejects',
                ''.join(l for l in run.stderr.splitlines(True) if ': error: ' in l)))
    print('%d probes of the %s schema, %d disagree' % (n, top, bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
