/* The locale editor: fills in, opens, checks and writes a Trust's locale file.
 *
 * Rules: the schema's rules come from locales/schema.json through Ajv; the words are check's
 * own (locale.py's MESSAGES, in the page data), chosen by `describe` as locale.py's _describe
 * chooses them. Only the few rules the schema cannot express (contrast, dates in order,
 * placeholders, logo safety) are written a second time here.
 * tests/test_editor.py holds every message against `trustsite check`.
 *
 * Values are text: nothing typed or opened is ever inserted as HTML (textContent only) or run.
 */
'use strict';
(function () {
  const DATA = JSON.parse(document.getElementById('editor-data').textContent);
  const SCHEMA = DATA.schema;
  const YAML = window.YAML;
  const Ajv = window.ajv2020.default || window.ajv2020;
  const MARKER = DATA.marker.trim();
  const XLINK = 'http://www.w3.org/1999/xlink';

  // -- The JSON Schema validator, set up as trustsite.locale's: only 'date' is a checked
  // format (FormatChecker(["date"])); 'uri' and 'email' are left to their patterns.
  const ajv = new Ajv({allErrors: true, strict: false, verbose: true,
                       formats: {date: isRealDate, uri: true, email: true}});
  const validate = ajv.compile(SCHEMA);

  function isRealDate(text) {  // jsonschema's is_date: the pattern, then date.fromisoformat
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!m) return false;
    const [year, month, day] = [+m[1], +m[2], +m[3]];
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
    return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= days;
  }

  // -- Paths: ['partners', 0, 'name'] <-> 'partners[0].name', as check's _dotted writes them.
  function dotted(path) {
    let text = '';
    for (const part of path) {
      text += typeof part === 'number' ? `[${part}]` : (text ? `.${part}` : String(part));
    }
    return text || '(whole file)';
  }
  function parsePath(text) {
    const path = [];
    for (const m of text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) path.push(m[2] !== undefined ? +m[2] : m[1]);
    return path;
  }
  function schemaAt(path) {
    let schema = SCHEMA;
    for (const part of path) {
      if (!schema) return undefined;
      schema = typeof part === 'number' ? schema.items : (schema.properties || {})[part];
    }
    return schema;
  }
  function valueAt(data, path) {
    for (const part of path) {
      if (data === null || typeof data !== 'object') return undefined;
      data = data[part];
    }
    return data;
  }

  // -- Words: check's own (locale.py's MESSAGES), with their {names} filled in -----------
  function say(kind, fields = {}) {
    return DATA.messages[kind].replace(/\{(\w+)\}/g, (whole, name) => String(fields[name]));
  }
  const UNPRINTABLE = /[\x00-\x1f\x7f-\x9f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
  function pyEscape(ch) {  // Python's repr() of one unprintable character, without quotes
    const named = {'\t': '\\t', '\n': '\\n', '\r': '\\r'};
    if (named[ch]) return named[ch];
    const code = ch.charCodeAt(0);
    return code < 0x100 ? '\\x' + code.toString(16).padStart(2, '0')
                        : '\\u' + code.toString(16).padStart(4, '0');
  }
  function pyStr(value) {  // str(value) in Python, for what YAML can hold
    if (value === null || value === undefined) return 'None';
    if (value === true) return 'True';
    if (value === false) return 'False';
    return String(value);
  }
  function pyRepr(value) {  // repr() in Python, for the scalars and lists YAML holds
    if (Array.isArray(value)) return '[' + value.map(pyRepr).join(', ') + ']';
    if (typeof value !== 'string') return pyStr(value);
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const body = value.replace(/\\/g, '\\\\').replace(UNPRINTABLE, pyEscape);
    return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
  }
  function quoted(value) {
    return "'" + pyStr(value).replace(UNPRINTABLE, pyEscape) + "'";
  }
  function typeName(value) {
    if (value === null) return 'empty';
    if (Array.isArray(value)) return 'a list';
    if (typeof value === 'object') return 'a mapping';
    if (typeof value === 'string') return 'text';
    if (typeof value === 'boolean') return 'true/false';
    return Number.isInteger(value) ? 'a whole number' : 'a number';
  }
  function patternHelp(schema, key) {
    const kind = DATA.helpByPattern[schema.pattern || ''] || key;
    return DATA.patternHelp[kind] || `text matching ${schema.pattern}`;
  }

  // difflib.get_close_matches(word, choices, n=1, cutoff=0.6), for "Did you mean ...?"
  function similarity(a, b) {  // SequenceMatcher(None, a, b).ratio(), no junk
    a = Array.from(a); b = Array.from(b);
    const b2j = new Map();
    b.forEach((ch, j) => { if (!b2j.has(ch)) b2j.set(ch, []); b2j.get(ch).push(j); });
    function longest(alo, ahi, blo, bhi) {
      let besti = alo, bestj = blo, bestsize = 0, j2len = new Map();
      for (let i = alo; i < ahi; i++) {
        const next = new Map();
        for (const j of b2j.get(a[i]) || []) {
          if (j < blo) continue;
          if (j >= bhi) break;
          const k = (j2len.get(j - 1) || 0) + 1;
          next.set(j, k);
          if (k > bestsize) { besti = i - k + 1; bestj = j - k + 1; bestsize = k; }
        }
        j2len = next;
      }
      return [besti, bestj, bestsize];
    }
    let matched = 0;
    const queue = [[0, a.length, 0, b.length]];
    while (queue.length) {
      const [alo, ahi, blo, bhi] = queue.pop();
      const [i, j, k] = longest(alo, ahi, blo, bhi);
      if (k) {
        matched += k;
        if (alo < i && blo < j) queue.push([alo, i, blo, j]);
        if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
      }
    }
    return a.length + b.length ? 2 * matched / (a.length + b.length) : 1;
  }
  function didYouMean(word, choices) {
    let best = null;
    for (const choice of choices) {
      const score = similarity(choice, pyStr(word));
      if (score >= 0.6 && (!best || score > best[0] || (score === best[0] && choice > best[1]))) {
        best = [score, choice];
      }
    }
    return best ? ` Did you mean '${best[1]}'?` : '';
  }

  // One Ajv error as [path, message], as check's _describe words a jsonschema error.
  function describe(error, data) {
    const path = [];
    let node = data;
    for (const raw of error.instancePath.split('/').slice(1)) {
      const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      const step = Array.isArray(node) ? +part : part;
      path.push(step);
      node = node[step];
    }
    const key = path.length ? String(path[path.length - 1]) : '';
    const kind = error.keyword, schema = error.parentSchema, value = error.data;
    if (kind === 'required') {
      const name = error.params.missingProperty;
      const description = ((schema.properties || {})[name] || {}).description || '';
      return [path.concat([name]), say('required', {description}).trim()];
    }
    if (kind === 'additionalProperties') {
      const known = Object.keys(schema.properties || {});
      const name = Object.keys(value).filter((k) => !known.includes(k)).sort()[0];
      return [path.concat([name]), say('unknown', {did_you_mean: didYouMean(name, known), allowed: known.join(', ')})];
    }
    if (kind === 'type' && key === 'primary_colour' && value === null) return [path, say('colour_comment')];
    if (kind === 'type' && typeof value === 'string' && /^\d{1,3}(,\d{3})+$/.test(value)) {
      return [path, say('commas', {value: quoted(value), without_commas: value.replace(/,/g, '')})];
    }
    if (kind === 'type' && value === null) return [path, say('empty_in_section')];
    if (kind === 'type') {
      return [path, say('type', {wanted: DATA.wantedTypes[schema.type] || schema.type, found: typeName(value)})];
    }
    if (kind === 'enum') {
      return [path, say('enum', {value: quoted(value), did_you_mean: didYouMean(value, schema.enum),
                                 options: schema.enum.join(', ')})];
    }
    if (kind === 'pattern' || kind === 'format') {
      const text = pyStr(value);
      if (schema.pattern === DATA.urlPattern && /^\s*(javascript|data):/i.test(text)) {
        return [path, say('unsafe_link', {value: quoted(value), help: DATA.patternHelp.url})];
      }
      if (schema.format === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(text)) {
        return [path, say('not_a_date', {value: quoted(value), help: DATA.patternHelp.date})];
      }
      if (/[\n\r\u2028\u2029]/.test(text)) return [path, say('line_break', {value: quoted(value)})];
      if (/[\x00-\x1f\x7f-\x9f]/.test(text)) return [path, say('control', {value: quoted(value)})];
      return [path, say('pattern', {value: quoted(value), help: patternHelp(schema, key)})];
    }
    if (kind === 'minLength') return [path, say('min_length')];
    if (kind === 'maxLength') return [path, say('max_length', {length: Array.from(value).length, limit: schema.maxLength})];
    if (kind === 'minItems') return [path, say('min_items')];
    if (kind === 'maxItems') return [path, say('max_items', {count: value.length, limit: schema.maxItems})];
    if (kind === 'uniqueItems') return [path, `${pyRepr(value)} has non-unique elements`];  // jsonschema's words
    if (kind === 'minimum' || kind === 'maximum') {
      return [path, say('range', {number: value, kind, limit: schema[kind]})];
    }
    return [path, error.message];
  }

  // check's _drop_empty_optional: an optional field left empty counts as absent (a warning).
  function dropEmptyOptional(data, schema, path, warnings) {
    if (!data || typeof data !== 'object' || Array.isArray(data)) return;
    const required = schema.required || [];
    for (const [key, field] of Object.entries(schema.properties || {})) {
      if (!(key in data)) continue;
      const child = path.concat([key]);
      if (data[key] === null && !required.includes(key)) {
        delete data[key];
        warnings.push([child, say('left_out')]);
      } else if (field.properties) {
        dropEmptyOptional(data[key], field, child, warnings);
      } else if (field.items && Array.isArray(data[key])) {
        data[key].forEach((item, i) => dropEmptyOptional(item, field.items, child.concat([i]), warnings));
      }
    }
  }

  // -- Rules the schema cannot express (locale.py and scaffold.py) ------------------------
  function luminance(hex) {
    const linear = (c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    const [r, g, b] = [1, 3, 5].map((i) => linear(parseInt(hex.slice(i, i + 2), 16)));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  function contrastWithWhite(hex) {
    const [lighter, darker] = [luminance('#FFFFFF'), luminance(hex)].sort((x, y) => y - x);
    return (lighter + 0.05) / (darker + 0.05);
  }
  function colourProblem(data) {
    const colour = valueAt(data, ['brand', 'primary_colour']);
    if (typeof colour !== 'string' || !/^#[0-9A-Fa-f]{6}$/.test(colour)) return null;
    const ratio = contrastWithWhite(colour);
    if (ratio >= DATA.minContrast) return null;
    return say('contrast', {colour, ratio: ratio.toFixed(2), minimum: DATA.minContrast});
  }
  function dateOrderProblem(site) {
    if (!site || typeof site !== 'object') return null;
    const [last, next] = [site.last_reviewed, site.next_review];
    if (typeof last !== 'string' || typeof next !== 'string' || !isRealDate(last) || !isRealDate(next)) return null;
    return next > last ? null : say('date_order', {following: next, last});
  }
  // scaffold.py's _release_reason: what `build --release` refuses in a value.
  function isDramaNumber(text) {
    for (const m of text.matchAll(/\+?[0-9][0-9 ()-]{8,}[0-9]/g)) {
      let digits = m[0].replace(/\D/g, '');
      if (m[0].startsWith('+44')) digits = '0' + digits.slice(2);
      if (digits.length === 11 && DATA.dramaPrefixes.some((p) => digits.startsWith(p))) return true;
    }
    return false;
  }
  const RESERVED_DOMAIN = /[\p{L}\p{N}_-]\.example(?![\p{L}\p{N}_])|(?<![\p{L}\p{N}_])example\.(com|org|net)(?![\p{L}\p{N}_])/iu;
  function releaseReason(value) {
    if (DATA.exampleContacts.includes(value.trim().toLowerCase())) return DATA.releaseMessages.contact;
    if (RESERVED_DOMAIN.test(value)) return DATA.releaseMessages.domain;
    if (isDramaNumber(value)) return DATA.releaseMessages.drama;
    return '';
  }

  // guard.py's svg_problems, on the text of an SVG file (parsed inert by DOMParser).
  const LOADING = new Set(['src', 'poster', 'data', 'formaction', 'background', 'lowsrc', 'dynsrc',
                           'longdesc', 'manifest', 'codebase', 'archive', 'ping']);
  const SVG_LOADING = new Set(['image', 'use', 'feimage', 'script', 'tref', 'cursor', 'font-face-uri',
                               'mpath', 'pattern', 'lineargradient', 'radialgradient', 'filter',
                               'textpath', 'altglyph', 'color-profile']);
  function isOtherHost(reference) {
    const url = reference.replace(/[\t\n\r]/g, '').replace(/^[ \x00-\x1f]+|[ \x00-\x1f]+$/g, '')
      .replace(/\\/g, '/');
    if (url.startsWith('//')) return true;
    const scheme = /^([a-z][a-z0-9+.-]*):/.exec(url.toLowerCase());
    return !!scheme && scheme[1] !== 'data';
  }
  function cssReferences(css) {
    const text = css.replace(/\/\*[\s\S]*?(\*\/|$)/g, '').replace(
      /\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|([\s\S]))/g,
      (m, hex, ch) => (hex ? String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff)) : ch));
    const found = [];
    for (const re of [/\b(?:url|src)\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))/gi,
                      /(?:@import|image-set\(|image\()\s*(?:"([^"]*)"|'([^']*)')/gi]) {
      for (const m of text.matchAll(re)) found.push(m.slice(1).find((g) => g !== undefined));
    }
    return found;
  }
  function svgProblems(text) {
    if (/<!(DOCTYPE|ENTITY)/i.test(text)) {
      return ['it has a DOCTYPE or ENTITY declaration; save it again as plain SVG'];
    }
    const xml = new DOMParser().parseFromString(text, 'image/svg+xml');
    const broken = xml.getElementsByTagName('parsererror')[0];
    if (broken || !xml.documentElement) {
      return [`it is not valid SVG (${(broken ? broken.textContent : '').trim().split('\n')[0]})`];
    }
    const problems = [];
    for (const element of [xml.documentElement, ...xml.documentElement.querySelectorAll('*')]) {
      const tag = element.localName.toLowerCase();
      if (tag === 'script' || tag === 'foreignobject') problems.push(`it has a <${tag}> element`);
      const attributes = {};
      for (const a of element.attributes) {
        attributes[a.namespaceURI === XLINK ? `xlink:${a.localName}` : a.localName.toLowerCase()] = a.value;
      }
      for (const name of Object.keys(attributes)) {
        if (name.startsWith('on')) problems.push(`<${tag}> has an event handler '${name}'`);
      }
      const references = [];
      for (const [name, value] of Object.entries(attributes)) {
        if (LOADING.has(name)) references.push([`<${tag} ${name}>`, value]);
        else if (name === 'srcset' || name === 'imagesrcset') {
          for (const c of value.split(',')) if (c.trim()) references.push([`<${tag} ${name}>`, c.trim().split(/\s+/)[0]]);
        } else if (name === 'style') cssReferences(value).forEach((u) => references.push([`<${tag} style>`, u]));
      }
      const href = ['href', 'xlink:href'].map((n) => attributes[n]).find((v) => v !== undefined);
      if (href !== undefined && (SVG_LOADING.has(tag) || tag === 'base' ||
          (tag === 'link' && /\b(stylesheet|icon|preload|prefetch)\b/i.test(attributes.rel || '')))) {
        references.push([`<${tag} href>`, href]);
      }
      if (tag === 'style' && element.textContent) {
        cssReferences(element.textContent).forEach((u) => references.push(['<style>', u]));
      }
      for (const [what, url] of references) if (isOtherHost(url)) problems.push(`${what} loads ${url} from another host`);
    }
    return problems;
  }

  // -- State ------------------------------------------------------------------------------
  const SECTIONS = Object.keys(SCHEMA.properties);
  const isList = (section) => SCHEMA.properties[section].type === 'array';
  const isRequiredSection = (section) => SCHEMA.required.includes(section);
  let doc;                      // the YAML document: comments, order and fields kept
  let values = new Map();       // dotted path -> value of each field the form shows
  let included = new Set();     // optional sections switched on
  let counts = {};              // list section -> number of items
  let touched = new Set();      // paths the officer has changed (their messages show)
  let showAll = false;          // after opening a file or asking to download: show every message
  let fresh = new Set();        // sections and items just added: quiet until touched or download
  let slug = '';
  const assets = {};            // 'logo' / 'favicon' -> {name, bytes, format, problems, url, size}
  const refusals = {};          // 'logo' / 'favicon' -> why the last file chosen was refused
  const form = document.getElementById('editor');
  const $ = (id) => document.getElementById(id);

  const YAML_OPTIONS = {
    version: '1.1', merge: false, uniqueKeys: true, maxAliasCount: DATA.maxAliases,
    // Dates stay text, as in check (its loader drops the timestamp resolver).
    customTags: (tags) => tags.filter((t) => !/timestamp$/.test(t.tag || '')),
  };

  function newDocument() {
    const fresh = new YAML.Document({}, YAML_OPTIONS);
    fresh.commentBefore = ' yaml-language-server: $schema=schema.json\n Made with the locale ' +
                          "editor. Every field is explained in the README's field list.";
    return fresh;
  }

  // -- Reading a locale file (untrusted): every refusal is one line ----------------------
  const PLAIN_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => 'tag:yaml.org,2002:' + t));
  function refusal(text) {
    if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/.test(text)) {
      return 'it holds a control character. Delete it; retype the line if unsure.';
    }
    if (/^ *\t/m.test(text)) return 'a line starts with a tab character. Use spaces, not tabs, to indent.';
    const parsed = YAML.parseDocument(text, YAML_OPTIONS);
    const error = parsed.errors[0];
    if (error) return `it is not valid YAML: ${error.message.split('\n')[0]}`;
    if (!YAML.isMap(parsed.contents)) {
      return "the file must be a mapping of keys to values (like 'trust:' on the first line).";
    }
    let aliases = 0, problem = '';
    const anchored = new Set();
    const depthOf = (path) => path.filter((n) => YAML.isCollection(n)).length;
    YAML.visit(parsed, {
      Node(key, node, path) {
        if (node.tag && !PLAIN_TAGS.has(node.tag) && node.tag !== '!') {
          problem = `the tag ${node.tag} is not allowed. Delete it: a locale holds plain text, numbers and lists only.`;
        } else if (YAML.isCollection(node) && node.anchor) {
          anchored.add(node.anchor);
        } else if (YAML.isAlias(node) && (anchored.has(node.source) || ++aliases > DATA.maxAliases)) {
          problem = `aliases (*name) may repeat a single value, at most ${DATA.maxAliases} times. Write the section out in full.`;
        } else if (depthOf(path) > DATA.maxDepth) {
          problem = `it nests more than ${DATA.maxDepth} levels deep. A locale needs at most 3: check the indentation.`;
        } else if (YAML.isPair(node) && YAML.isScalar(node.key) && node.key.value === '<<') {
          problem = 'merge keys (<<) are not allowed. Write each field out in full.';
        }
        return problem ? YAML.visit.BREAK : undefined;
      },
    });
    if (problem) return problem;
    YAML.visit(parsed, {
      Scalar(key, node) {  // written as an escape such as "\x00": check refuses the file
        if (typeof node.value === 'string' && /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(node.value)) {
          problem = 'a value holds a control character or a broken character escape. Delete it; retype the value if unsure.';
          return YAML.visit.BREAK;
        }
        return undefined;
      },
    });
    if (problem) return problem;
    try {
      parsed.toJS({maxAliasCount: DATA.maxAliases});
    } catch (e) {
      return `it cannot be read: ${String(e.message).split('\n')[0]}`;
    }
    return parsed;
  }

  async function openLocale(file) {
    const say = (text) => { $('open-file-message').textContent = text; };
    if (!/\.yml$/i.test(file.name)) return say(`${file.name} is not a .yml file. Choose your locale file, locales/<slug>.yml.`);
    if (file.size > DATA.maxFileBytes) {
      return say(`${file.name} is over the limit of ${DATA.maxFileBytes / 1024} KB. A locale is a few KB: check you chose the right file.`);
    }
    let text;
    try {
      text = new TextDecoder('utf-8', {fatal: true}).decode(await file.arrayBuffer());
    } catch (e) {
      return say(`${file.name} is not UTF-8 text. Save it as UTF-8 (in most editors: Save As, Encoding, UTF-8).`);
    }
    const parsed = refusal(text.replace(/^\ufeff/, ''));
    if (typeof parsed === 'string') return say(`${file.name} was not opened: ${parsed} Your answers are as they were.`);
    doc = parsed;
    loadFromDocument(file.name.replace(/\.yml$/i, ''));
    showAll = true;
    say(`Opened ${file.name}. Change what you need; comments and the order of the file are kept.`);
    refresh();
  }

  function loadFromDocument(name) {
    const data = doc.toJS({maxAliasCount: DATA.maxAliases}) || {};
    values = new Map(); included = new Set(); counts = {}; touched = new Set(); fresh = new Set();
    for (const key of Object.keys(assets)) delete assets[key];
    for (const key of Object.keys(refusals)) delete refusals[key];
    slug = name;
    for (const section of SECTIONS) {
      const value = data[section];
      if (value === undefined) continue;
      if (!isRequiredSection(section)) included.add(section);
      if (isList(section)) {
        const items = Array.isArray(value) ? value : [];
        counts[section] = items.length;
        items.forEach((item, i) => {
          for (const key of Object.keys(SCHEMA.properties[section].items.properties)) {
            if (item && typeof item === 'object' && key in item) values.set(dotted([section, i, key]), item[key]);
          }
        });
      } else if (value && typeof value === 'object') {
        for (const key of Object.keys(SCHEMA.properties[section].properties)) {
          if (key in value) values.set(dotted([section, key]), value[key]);
        }
      }
    }
    renderForm();
  }

  // -- Writing the document: only fields whose value changed are touched --------------------
  const keyOf = (pair) => (YAML.isScalar(pair.key) ? pair.key.value : pair.key);
  function makeNode(value) {
    const node = doc.createNode(value);
    // Dates in quotes, as `trustsite new` writes them, so no YAML reader takes them for dates.
    if (typeof value === 'string' && /^\d{4}-\d\d?-\d\d?/.test(value)) node.type = 'QUOTE_DOUBLE';
    return node;
  }
  function insertInOrder(map, path, key, node) {
    const order = Object.keys((schemaAt(path) || {}).properties || {});
    const rank = (k) => order.indexOf(k);
    const pair = doc.createPair(key, node);
    if (path.length === 0 && map.items.length) pair.key.spaceBefore = true;  // a blank line between sections
    const at = map.items.findIndex((p) => rank(keyOf(p)) > rank(key) && rank(key) >= 0);
    if (at < 0) map.items.push(pair); else map.items.splice(at, 0, pair);
  }
  function collectionAt(path) {  // the map or list at path, made (in schema order) if missing
    if (!YAML.isMap(doc.contents)) doc.contents = doc.createNode({});
    let node = doc.contents;
    for (let i = 0; i < path.length; i++) {
      const part = path[i];
      // A list when an item number follows, or when the path ends at a list section.
      const wantList = i + 1 < path.length ? typeof path[i + 1] === 'number'
                                           : path.length === 1 && isList(part);
      let child = YAML.isSeq(node) ? node.items[part] : node.get(part, true);
      if (!(wantList ? YAML.isSeq(child) : YAML.isMap(child))) {
        child = doc.createNode(wantList ? [] : {});
        if (YAML.isSeq(node)) node.items[part] = child;
        else if (node.has(part)) node.set(part, child);
        else insertInOrder(node, path.slice(0, i), part, child);
      }
      node = child;
    }
    return node;
  }
  function setField(path, value) {
    const parent = collectionAt(path.slice(0, -1));
    const key = path[path.length - 1];
    const pair = parent.items.find((p) => keyOf(p) === key);
    if (!pair) return insertInOrder(parent, path.slice(0, -1), key, makeNode(value));
    const comment = pair.value && pair.value.comment;
    pair.value = makeNode(value);
    // The officer replaced the value: `trustsite new`'s "replace me" marker goes with it.
    if (comment && comment.trim() !== MARKER) pair.value.comment = comment;
  }
  function deleteField(path) {
    const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
    if (YAML.isMap(parent)) parent.delete(path[path.length - 1]);
  }
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  function writeDocument() {
    if (!YAML.isMap(doc.contents)) doc.contents = doc.createNode({});
    const data = doc.toJS({maxAliasCount: DATA.maxAliases}) || {};
    for (const section of SECTIONS) {
      if (!isRequiredSection(section) && !included.has(section)) {
        if (section in data) deleteField([section]);
        continue;
      }
      if (isList(section)) {
        // A list as the file gave it, even empty or not a list, until the officer edits it.
        if (section in data && !Array.isArray(data[section]) && !counts[section]) continue;
        const list = collectionAt([section]);
        while (list.items.length < counts[section]) list.items.push(doc.createNode({}));
        list.items.length = counts[section];
        for (let i = 0; i < counts[section]; i++) {
          // An item that is not a mapping (text, or empty) stays as it is until edited.
          const item = Array.isArray(data[section]) ? data[section][i] : undefined;
          const edited = [...values.keys()].some((name) => name.startsWith(`${section}[${i}].`));
          if (item !== undefined && (item === null || typeof item !== 'object') && !edited) continue;
          collectionAt([section, i]);
          for (const key of Object.keys(SCHEMA.properties[section].items.properties)) syncField([section, i, key], data);
        }
      } else {
        if (!(section in data)) collectionAt([section]);
        for (const key of Object.keys(SCHEMA.properties[section].properties)) syncField([section, key], data);
      }
    }
  }
  function syncField(path, data) {
    const name = dotted(path);
    const current = valueAt(data, path);
    const inDocument = valueAt(data, path.slice(0, -1)) && typeof valueAt(data, path.slice(0, -1)) === 'object' &&
      path[path.length - 1] in valueAt(data, path.slice(0, -1));
    if (!values.has(name)) {
      if (inDocument) deleteField(path);
    } else if (!inDocument || !same(current, values.get(name))) {
      setField(path, values.get(name));
    }
  }

  // -- Checking -----------------------------------------------------------------------------
  // Every message, as {path: [messages]}: errors (check refuses) and warnings (check warns,
  // `build --release` refuses).
  function checkAll() {
    const errors = new Map(), warnings = new Map();
    const add = (map, path, message) => {
      const name = dotted(path);
      if (!map.has(name)) map.set(name, []);
      map.get(name).push(message);
    };
    if (!new RegExp(DATA.slugPattern).test(slug)) {
      add(errors, ['slug'], slug ? DATA.slugMessage.replace('{slug}', slug)
        : "is empty. Give a slug, for example 'anytown-hospitals'.");
    }
    const data = doc.toJS({maxAliasCount: DATA.maxAliases}) || {};
    const dropped = [];
    dropEmptyOptional(data, SCHEMA, [], dropped);
    dropped.forEach(([path, message]) => add(warnings, path, message));
    if (!validate(data)) {
      // One message per field, the first in the schema's order of keywords (check's order).
      const first = new Map();
      const rank = (e) => Object.keys(e.parentSchema || {}).indexOf(e.keyword);
      for (const error of validate.errors) {
        const [path, message] = describe(error, data);
        const name = dotted(path);
        if (!first.has(name) || rank(error) < first.get(name).rank) first.set(name, {path, message, rank: rank(error)});
      }
      for (const {path, message} of first.values()) {
        let text = message;
        if (path[path.length - 1] === 'primary_colour') {  // check quotes the colour on the line
          const colour = /#[0-9A-Fa-f]{3,6}\b/.exec(pyStr(valueAt(data, path)));
          if (colour) text = text.replace("'#005EB8'", `'${colour[0]}'`);
        }
        add(errors, path, text);
      }
    }
    const brand = data.brand && typeof data.brand === 'object' && !Array.isArray(data.brand);
    const contrast = brand ? colourProblem(data) : null;
    if (contrast) add(errors, ['brand', 'primary_colour'], contrast);
    for (const kind of ['logo', 'favicon']) {
      const asset = assets[kind];
      const name = brand ? data.brand[kind] : undefined;
      if (asset && name === asset.name && asset.problems.length) {
        add(errors, ['brand', kind], say('unsafe_logo', {value: quoted(name), problems: asset.problems.join('; ')}));
      }
      if (asset && asset.placeholder && name === asset.name) add(warnings, ['brand', kind], DATA.releaseMessages.placeholderLogo);
    }
    const order = dateOrderProblem(data.site);
    if (order) add(errors, ['site', 'next_review'], order);
    // Placeholders: a value marked by `trustsite new`, or one `build --release` refuses.
    YAML.visit(doc, {
      Pair(_, pair, path) {
        if (!YAML.isScalar(pair.value)) return;
        const trail = [];  // the field's path: keys of the pairs above, numbers of list items
        path.forEach((node, i) => {
          if (YAML.isPair(node)) trail.push(keyOf(node));
          else if (YAML.isSeq(node)) trail.push(node.items.indexOf(path[i + 1] || pair));
        });
        trail.push(keyOf(pair));
        const comment = (pair.value.comment || '').trim();
        const value = pair.value.value;
        if (comment === MARKER) add(warnings, trail, DATA.releaseMessages.example);
        else if (typeof value === 'string' && releaseReason(value)) add(warnings, trail, releaseReason(value));
      },
    });
    return {errors, warnings};
  }

  // -- Showing messages ---------------------------------------------------------------------
  function idFor(name) {
    return 'f-' + name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  }
  function showMessages(result) {
    for (const el of form.querySelectorAll('.error-message, .warning-message')) { el.hidden = true; el.textContent = ''; }
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    for (const el of form.querySelectorAll('.form-group--error')) el.classList.remove('form-group--error');
    for (const el of form.querySelectorAll('.input--error, .select--error, .textarea--error')) {
      el.classList.remove('input--error', 'select--error', 'textarea--error');
    }
    const summary = [];
    const under = (name, prefix) => name === prefix || name.startsWith(prefix + '.') || name.startsWith(prefix + '[');
    const shown = (name) => [...touched].some((t) => under(name, t)) ||
      (showAll && ![...fresh].some((f) => under(name, f)));
    for (const [kind, map] of [['error', result.errors], ['warning', result.warnings]]) {
      for (const [name, messages] of map) {
        if (!shown(name)) continue;
        const id = idFor(name);
        const section = name.split(/[.[]/)[0];
        const input = $(id);
        const box = $(`${id}-${kind}`) || (kind === 'error' && !input ? $(`section-${section}-error`) : null);
        const text = (input ? '' : `${name}: `) + messages.join(' ');
        if (box) {
          box.textContent = '';
          const hidden = document.createElement('span');
          hidden.className = 'visually-hidden';
          hidden.textContent = kind === 'error' ? 'Error: ' : 'Before you publish: ';
          box.append(hidden, document.createTextNode(text));
          box.hidden = false;
        }
        if (kind === 'error') {
          if (input) {
            input.setAttribute('aria-invalid', 'true');
            input.classList.add(input.tagName === 'SELECT' ? 'select--error' : input.tagName === 'TEXTAREA' ? 'textarea--error' : 'input--error');
            const group = input.closest('.form-group');
            if (group) group.classList.add('form-group--error');
          }
          summary.push([input ? id : `section-${section}`, `${name}: ${messages.join(' ')}`]);
        }
      }
    }
    // aria-describedby: the hint, then the error or warning when one shows.
    for (const input of form.querySelectorAll('input[name], select[name], textarea[name]')) {
      const ids = [`${input.id}-hint`, `${input.id}-error`, `${input.id}-warning`, `${input.id}-file`]
        .filter((id) => $(id) && !$(id).hidden && (id.endsWith('-hint') || $(id).textContent));
      if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
    }
    $('error-summary').hidden = summary.length === 0;
    const list = $('error-summary-list');
    // Rebuilt only when it changes, so a link being followed or tabbed to stays in place.
    const signature = JSON.stringify(summary);
    if (list.dataset.signature === signature) return;
    list.dataset.signature = signature;
    list.textContent = '';
    for (const [target, text] of summary) {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = `#${target}`;
      link.textContent = text;
      link.addEventListener('click', (event) => {
        event.preventDefault();
        const el = $(target);
        if (el) { el.closest('.form-group, .section')?.scrollIntoView(); el.focus(); }
      });
      item.append(link);
      list.append(item);
    }
  }

  // -- The form -----------------------------------------------------------------------------
  function renderList(section) {
    const box = form.querySelector(`[data-items="${section}"]`);
    box.textContent = '';
    const template = $(`item-${section}`);
    for (let i = 0; i < (counts[section] || 0); i++) {
      const item = template.content.firstElementChild.cloneNode(true);
      for (const el of item.querySelectorAll('[id], [for], [name], [aria-describedby]')) {
        for (const attr of ['id', 'for', 'name', 'aria-describedby']) {
          if (el.hasAttribute(attr)) el.setAttribute(attr, el.getAttribute(attr).replace(/#/g, String(i)));
        }
      }
      item.querySelector('[data-number]').textContent = String(i + 1);
      item.querySelector('[data-remove]').dataset.index = String(i);
      box.append(item);
    }
    const add = form.querySelector(`[data-add="${section}"]`);
    add.hidden = (counts[section] || 0) >= +add.dataset.max;
  }
  function renderForm() {
    $('f-slug').value = slug;
    for (const section of SECTIONS) {
      const toggle = $(`include-${section}`);
      if (toggle) {
        toggle.checked = included.has(section);
        toggle.setAttribute('aria-expanded', String(included.has(section)));
        $(`fields-${section}`).hidden = !included.has(section);
      }
      if (isList(section)) renderList(section);
    }
    for (const input of form.querySelectorAll('input[name], select[name], textarea[name]')) {
      if (input.name === 'slug' || input.type === 'file') continue;
      const value = values.get(input.name);
      if (input.type === 'checkbox') {
        input.checked = Array.isArray(value) && value.includes(input.value);
      } else if (input.tagName === 'SELECT') {
        input.querySelector('[data-unknown]')?.remove();
        const text = value === undefined || value === null ? '' : pyStr(value);
        if (text && ![...input.options].some((o) => o.value === text)) {
          const option = document.createElement('option');  // a value from the file that is not allowed
          option.dataset.unknown = '';
          option.value = text;
          option.textContent = `${text} (not allowed)`;
          input.append(option);
        }
        input.value = text;
      } else {
        input.value = value === undefined || value === null ? '' : pyStr(value);
      }
    }
  }
  function valueFromInput(input) {
    if (input.type === 'checkbox') {
      const chosen = [...form.querySelectorAll(`input[name="${CSS.escape(input.name)}"]:checked`)].map((b) => b.value);
      return chosen.length ? chosen : undefined;
    }
    const text = input.value;
    if (text === '') return undefined;
    const schema = schemaAt(parsePath(input.name));
    if (schema && schema.type === 'integer' && /^-?[0-9]+$/.test(text.trim())) return parseInt(text.trim(), 10);
    return text;
  }

  // -- Logo and favicon ---------------------------------------------------------------------
  function pngSize(bytes) {
    const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
    if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b)) return null;
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    return [view.getUint32(16), view.getUint32(20)];
  }
  function describeAsset(kind) {
    if (refusals[kind]) return refusals[kind];  // the last file chosen was refused
    const asset = assets[kind];
    if (asset) return `${asset.original}: ${asset.format}, ${Math.ceil(asset.bytes.length / 1024)} KB${asset.size ? `, ${asset.size[0]} by ${asset.size[1]} pixels` : ''}. It goes in the zip as locales/${slug || '<slug>'}/${asset.name}.`;
    const named = values.get(`brand.${kind}`);
    return typeof named === 'string' ? `Your file names ${named}. Choose that file to preview it and put it in the zip, or keep the one in locales/${slug || '<slug>'}/.` : '';
  }
  async function chooseAsset(kind, input) {
    const file = input.files[0];
    const status = $(`f-brand-${kind}-file`);
    if (!file) return;
    const refuse = (text) => { input.value = ''; refusals[kind] = text; status.textContent = text; };
    if (file.size > 5 * 1024 * 1024) return refuse(`${file.name} is over 5 MB. A logo is a few KB: export it again, smaller.`);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const size = pngSize(bytes);
    let format = size ? 'PNG' : '', problems = [], text = '';
    if (!size) {
      try { text = new TextDecoder('utf-8', {fatal: true}).decode(bytes); } catch (e) { text = ''; }
      if (/<svg[\s>]/i.test(text)) { format = 'SVG'; problems = svgProblems(text); }
    }
    if (!format) return refuse(`${file.name} is not an SVG or PNG image. Choose the logo as an .svg or .png file.`);
    delete refusals[kind];
    const name = `${kind}.${format.toLowerCase()}`;
    if (assets[kind] && assets[kind].url) URL.revokeObjectURL(assets[kind].url);
    // Only a safe SVG is shown, and only as an <img>: an image never runs its scripts.
    const url = problems.length ? '' : URL.createObjectURL(new Blob([bytes], {type: format === 'PNG' ? 'image/png' : 'image/svg+xml'}));
    assets[kind] = {name, original: file.name, bytes, format, problems, url, size,
                    placeholder: text === DATA.placeholderLogo};
    if (!size && url) {
      const probe = new Image();
      probe.onload = () => { if (assets[kind] && assets[kind].url === url && probe.naturalWidth) { assets[kind].size = [probe.naturalWidth, probe.naturalHeight]; status.textContent = describeAsset(kind); } };
      probe.src = url;
    }
    values.set(`brand.${kind}`, name);
    touched.add(`brand.${kind}`);
    refresh();
  }

  function renderPreview() {
    const name = values.get('trust.name');
    const colour = values.get('brand.primary_colour');
    const ok = typeof colour === 'string' && /^#[0-9A-Fa-f]{6}$/.test(colour);
    for (const id of ['preview-phone', 'preview-desktop']) {
      const box = $(id);
      box.textContent = '';
      const header = document.createElement('div');
      header.className = 'preview__header';
      header.style.backgroundColor = ok ? colour : '#005EB8';
      if (assets.logo && assets.logo.url) {
        const img = document.createElement('img');
        img.className = 'preview__logo';
        img.src = assets.logo.url;
        img.alt = 'Your logo';
        header.append(img);
      }
      const title = document.createElement('span');
      // White on a colour below 4.5:1 cannot be read (check refuses it): the name is then
      // shown on a white label, so the preview itself stays readable.
      title.className = ok && contrastWithWhite(colour) < DATA.minContrast ? 'preview__name preview__name--unreadable' : 'preview__name';
      title.textContent = typeof name === 'string' && name ? name : 'Your Trust\'s name';
      header.append(title);
      const body = document.createElement('p');
      body.className = 'preview__body';
      body.textContent = ok ? `Brand colour ${colour}: white text on it has a contrast ratio of ${contrastWithWhite(colour).toFixed(2)}:1.`
        : 'Give a brand colour to see it here.';
      box.append(header, body);
    }
    const swatch = $('f-brand-primary-colour-swatch');
    if (swatch) swatch.style.backgroundColor = ok ? colour : 'transparent';
  }

  // -- Out: the YAML, the zip and GitHub ---------------------------------------------------
  function yamlText() {
    return doc.toString({lineWidth: 0});
  }
  const NEXT_STEPS = (s) => `What to do next
================

This zip holds your Trust's locale file and logo, in the folders the toolkit expects:

  locales/${s}.yml     your Trust's facts, colour and contacts
  locales/${s}/        your logo (and favicon, if you chose one)

1. Unzip it into your copy of the toolkit, so that locales/${s}.yml sits beside
   locales/example.yml. If you opened an existing file and did not choose a logo,
   keep the logo already in locales/${s}/.
2. Check it: make check TRUST=${s}
   (or send the zip to the person who builds your site: they run the same check).
3. Build and look at it: make serve TRUST=${s}
4. Before you publish, build with --release: it refuses example values.

You can also propose the file on GitHub from the editor page.
`;
  function download() {
    showAll = true;
    fresh = new Set();
    const result = refresh();
    if (result.errors.size) {
      $('download-message').textContent = 'Fix the problems listed at the top of the page first.';
      $('error-summary').focus();
      return;
    }
    const files = {[`locales/${slug}.yml`]: window.fflate.strToU8(yamlText()),
                   'WHAT-TO-DO-NEXT.txt': window.fflate.strToU8(NEXT_STEPS(slug))};
    for (const kind of ['logo', 'favicon']) {
      if (assets[kind] && values.get(`brand.${kind}`) === assets[kind].name) files[`locales/${slug}/${assets[kind].name}`] = assets[kind].bytes;
    }
    const zip = window.fflate.zipSync(files, {level: 6, mtime: new Date(1980, 0, 1)});
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([zip], {type: 'application/zip'}));
    link.download = `${slug}-locale.zip`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    $('download-message').textContent = `Downloaded ${slug}-locale.zip. Open WHAT-TO-DO-NEXT.txt inside it for the next steps.`;
  }
  function repository() {
    const typed = $('repository').value.trim();
    if (typed) return new RegExp(DATA.repositoryPattern).test(typed) ? typed : '';
    if (DATA.repository) return DATA.repository;
    const pages = /^([A-Za-z0-9-]+)\.github\.io$/i.exec(location.hostname);
    const first = location.pathname.split('/')[1];
    return pages && first ? `${pages[1]}/${first}` : '';
  }
  function renderOut(result) {
    $('yaml-text').value = yamlText();
    $('logo-folder').textContent = `locales/${slug || '<slug>'}/`;
    const repo = repository();
    if (!$('repository').value && repo) $('repository').placeholder = repo;
    const link = $('propose');
    const ready = repo && result.errors.size === 0;
    if (ready) {
      const query = `filename=${encodeURIComponent(`locales/${slug}.yml`)}&value=${encodeURIComponent(yamlText())}`;
      link.href = `https://github.com/${repo}/new/main?${query}`;
      link.removeAttribute('aria-disabled');
    } else {
      link.href = '#finish-title';
      link.setAttribute('aria-disabled', 'true');
    }
    $('propose-message').textContent = ready ? `Opens github.com/${repo} in a new tab.` :
      !repo ? 'Give the GitHub repository first.' : 'Fix the problems listed at the top of the page first.';
  }

  function refresh() {
    writeDocument();
    for (const kind of ['logo', 'favicon']) $(`f-brand-${kind}-file`).textContent = describeAsset(kind);
    const result = checkAll();
    showMessages(result);
    renderPreview();
    renderOut(result);
    return result;
  }

  // -- Events -------------------------------------------------------------------------------
  form.addEventListener('input', (event) => {
    const input = event.target;
    if (input.name === 'slug') { slug = input.value; touched.add('slug'); refresh(); return; }
    if (!input.name || input.type === 'file' || input.dataset.include !== undefined) return;
    const value = valueFromInput(input);
    if (value === undefined) values.delete(input.name); else values.set(input.name, value);
    touched.add(input.name);
    refresh();
  });
  form.addEventListener('change', (event) => {
    const input = event.target;
    if (input.type === 'file') { chooseAsset(input.name.split('.')[1], input); return; }
    const section = input.dataset.include;
    if (section === undefined) return;
    if (input.checked) {
      included.add(section);
      fresh.add(section);
      if (isList(section) && !counts[section]) counts[section] = 1;
    } else {
      included.delete(section);
    }
    input.setAttribute('aria-expanded', String(input.checked));
    $(`fields-${section}`).hidden = !input.checked;
    if (isList(section)) renderList(section);
    refresh();
  });
  form.addEventListener('click', (event) => {
    const add = event.target.closest('[data-add]');
    const remove = event.target.closest('[data-remove]');
    if (add) {
      const section = add.dataset.add;
      counts[section] = (counts[section] || 0) + 1;
      fresh.add(dotted([section, counts[section] - 1]));
      renderList(section);
      renderForm();
      refresh();
      $(idFor(dotted([section, counts[section] - 1, Object.keys(SCHEMA.properties[section].items.properties)[0]]))).focus();
    } else if (remove) {
      const section = remove.dataset.remove, index = +remove.dataset.index;
      const shifted = new Map();
      for (const [name, value] of values) {
        const path = parsePath(name);
        if (path[0] !== section) { shifted.set(name, value); continue; }
        if (path[1] === index) continue;
        if (path[1] > index) path[1] -= 1;
        shifted.set(dotted(path), value);
      }
      values = shifted;
      const list = doc.getIn([section], true);
      if (YAML.isSeq(list)) list.items.splice(index, 1);
      counts[section] -= 1;
      if (!counts[section]) { included.delete(section); }
      renderForm();
      refresh();
      (form.querySelector(`[data-add="${section}"]:not([hidden])`) || $(`include-${section}`)).focus();
    }
  });
  form.addEventListener('focusout', (event) => {
    if (event.target.name && !touched.has(event.target.name) && event.target.type !== 'checkbox') {
      touched.add(event.target.name);
      refresh();
    }
  });
  form.addEventListener('submit', (event) => event.preventDefault());

  $('open-file').addEventListener('change', (event) => {
    const file = event.target.files[0];
    if (file) openLocale(file);
    event.target.value = '';
  });
  const zone = $('drop-zone');
  for (const type of ['dragenter', 'dragover']) {
    zone.addEventListener(type, (event) => { event.preventDefault(); zone.classList.add('drop-zone--over'); });
  }
  zone.addEventListener('dragleave', () => zone.classList.remove('drop-zone--over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('drop-zone--over');
    const file = event.dataTransfer.files[0];
    if (file) openLocale(file);
  });
  // A file dropped anywhere else must not make the browser leave the page.
  window.addEventListener('dragover', (event) => event.preventDefault());
  window.addEventListener('drop', (event) => event.preventDefault());

  $('start-new').addEventListener('click', () => {
    doc = newDocument();
    loadFromDocument('');
    showAll = false;
    $('open-file-message').textContent = 'Started a new Trust: the form is empty.';
    refresh();
    $('f-slug').focus();
  });
  $('download').addEventListener('click', download);
  $('repository').addEventListener('input', () => renderOut(checkAll()));
  $('propose').addEventListener('click', (event) => {
    if (event.currentTarget.getAttribute('aria-disabled') === 'true') {
      event.preventDefault();
      showAll = true;
      fresh = new Set();
      const result = refresh();
      if (result.errors.size) $('error-summary').focus(); else $('repository').focus();
    }
  });
  $('copy').addEventListener('click', async () => {
    const text = $('yaml-text');
    try {
      await navigator.clipboard.writeText(text.value);
      $('copy-message').textContent = 'Copied. Paste it into locales/<slug>.yml.';
    } catch (e) {
      text.focus();
      text.select();
      $('copy-message').textContent = 'The text is selected: press Ctrl+C (or Cmd+C) to copy it.';
    }
  });

  doc = newDocument();
  renderForm();
  refresh();
  window.localeEditor = {checkAll, yamlText};  // for tests and the curious
})();
