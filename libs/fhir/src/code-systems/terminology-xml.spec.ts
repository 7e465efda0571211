import {
  camelCaseOf,
  checkTerminology,
  decodeEntities,
  parseCodeSystemXml,
  parseValueSetXml,
  readTerminology,
  renderTerminologyModules,
  slugOf,
} from '../../tools/terminology-xml';

const codeSystem = (
  body: string,
  content = 'complete',
): string => `\uFEFF<?xml version="1.0" encoding="utf-8"?>
<CodeSystem xmlns="http://hl7.org/fhir">
  <id value="example" />
  <url value="http://example.test/CodeSystem/example-v1" />
  <version value="1.0.0" />
  <name value="example" />
  <status value="draft" />
  <content value="${content}" />
  ${body}
</CodeSystem>`;

const valueSet = (compose: string): string => `<ValueSet xmlns="http://hl7.org/fhir">
  <url value="http://example.test/ValueSet/example-v1" />
  <version value="1.0.0" />
  <name value="example" />
  <status value="draft" />
  <description value="Example &amp; test" />
  <compose>${compose}</compose>
</ValueSet>`;

describe('parseCodeSystemXml', () => {
  it('flattens nested concepts after their parent, keeping the parent code', () => {
    const parsed = parseCodeSystemXml(
      codeSystem(`
        <concept>
          <code value="A" /><display value="Alpha" />
          <concept>
            <code value="A1" /><display value="Alpha one" /><definition value="First " />
            <concept><code value="A1x" /></concept>
          </concept>
        </concept>
        <concept><code value="B" /></concept>`),
      'example.xml',
    );

    expect(parsed).toEqual({
      url: 'http://example.test/CodeSystem/example-v1',
      version: '1.0.0',
      name: 'example',
      status: 'draft',
      concepts: [
        { code: 'A', display: 'Alpha' },
        { code: 'A1', display: 'Alpha one', definition: 'First', parent: 'A' },
        { code: 'A1x', parent: 'A1' },
        { code: 'B' },
      ],
    });
  });

  it('reads concept properties of every value type', () => {
    const parsed = parseCodeSystemXml(
      codeSystem(`
        <concept>
          <code value="A" />
          <property><code value="status" /><valueCode value="retired" /></property>
          <property><code value="order" /><valueInteger value="3" /></property>
          <property><code value="weight" /><valueDecimal value="0.5" /></property>
          <property><code value="notSelectable" /><valueBoolean value="true" /></property>
          <property><code value="note" /><valueString value="x" /></property>
          <property><code value="since" /><valueDateTime value="2020-01-01" /></property>
          <property><code value="maps" /><valueCoding><system value="http://s" /><code value="c" /></valueCoding></property>
        </concept>`),
      'example.xml',
    );

    expect(parsed.concepts[0]?.properties).toEqual([
      { code: 'status', type: 'code', value: 'retired' },
      { code: 'order', type: 'integer', value: 3 },
      { code: 'weight', type: 'decimal', value: 0.5 },
      { code: 'notSelectable', type: 'boolean', value: true },
      { code: 'note', type: 'string', value: 'x' },
      { code: 'since', type: 'dateTime', value: '2020-01-01' },
      { code: 'maps', type: 'Coding', value: { system: 'http://s', code: 'c' } },
    ]);
  });

  it('decodes entities and character references in values', () => {
    const parsed = parseCodeSystemXml(
      codeSystem(
        '<concept><code value="A" /><display value="Bl&#229; &amp; gr&#xF8;nn&#xD;&#xA;&lt;x&gt;" /></concept>',
      ),
      'example.xml',
    );

    expect(parsed.concepts[0]?.display).toBe('Blå & grønn\r\n<x>');
  });

  it.each([
    [
      'a designation',
      '<concept><code value="A" /><designation><value value="x" /></designation></concept>',
      'does not support',
    ],
    ['a concept without a code', '<concept><display value="A" /></concept>', '<code> is missing'],
    [
      'a code defined twice',
      '<concept><code value="A" /></concept><concept><code value="A" /></concept>',
      'defined twice',
    ],
  ])('refuses %s instead of dropping it', (_, body, message) => {
    expect(() => parseCodeSystemXml(codeSystem(body), 'example.xml')).toThrow(message);
  });

  it('refuses a code system whose content is not complete', () => {
    expect(() =>
      parseCodeSystemXml(codeSystem('<concept><code value="A" /></concept>', 'fragment'), 'x.xml'),
    ).toThrow('content is fragment, not complete');
  });

  it('refuses XML that is not a FHIR CodeSystem', () => {
    expect(() => parseCodeSystemXml('<CodeSystem><url value="x" /></CodeSystem>', 'x.xml')).toThrow(
      'not in the FHIR namespace',
    );
    expect(() => parseCodeSystemXml(valueSet(''), 'x.xml')).toThrow('not a FHIR CodeSystem');
  });
});

describe('parseValueSetXml', () => {
  it('reads includes of whole systems and of enumerated codes, and excludes', () => {
    const parsed = parseValueSetXml(
      valueSet(`
        <include><system value="http://example.test/CodeSystem/example-v1" /></include>
        <include>
          <system value="http://hl7.org/fhir/medication-dispense-status" />
          <version value="4.0.1" />
          <concept><code value="completed" /><display value="Completed" /></concept>
        </include>
        <exclude>
          <system value="http://example.test/CodeSystem/example-v1" />
          <concept><code value="B" /></concept>
        </exclude>`),
      'example.xml',
    );

    expect(parsed).toEqual({
      url: 'http://example.test/ValueSet/example-v1',
      version: '1.0.0',
      name: 'example',
      status: 'draft',
      description: 'Example & test',
      include: [
        { system: 'http://example.test/CodeSystem/example-v1' },
        {
          system: 'http://hl7.org/fhir/medication-dispense-status',
          version: '4.0.1',
          concepts: [{ code: 'completed', display: 'Completed' }],
        },
      ],
      exclude: [{ system: 'http://example.test/CodeSystem/example-v1', concepts: [{ code: 'B' }] }],
    });
  });

  it.each([
    [
      'a filter',
      '<include><system value="http://s" /><filter><property value="p" /></filter></include>',
    ],
    ['a value-set import', '<include><valueSet value="http://v" /></include>'],
  ])('refuses %s, which membership checks could not honour', (_, compose) => {
    expect(() => parseValueSetXml(valueSet(compose), 'x.xml')).toThrow('does not support');
  });
});

describe('checkTerminology', () => {
  it('refuses a value set that includes all of a code system it does not have', () => {
    const vs = parseValueSetXml(
      valueSet('<include><system value="http://unknown.test/cs" /></include>'),
      'vs.xml',
    );

    expect(() => {
      checkTerminology({ codeSystems: [], valueSets: [{ file: 'vs.xml', data: vs }] });
    }).toThrow('includes all of http://unknown.test/cs, which is not among the code systems');
  });
});

describe('readTerminology', () => {
  it('fails loudly when the folder is missing', () => {
    expect(() => readTerminology('/nonexistent/vkp-r4')).toThrow(
      'Cannot read /nonexistent/vkp-r4/CodeSystem',
    );
  });
});

describe('rendering', () => {
  it('names modules after the canonical URL', () => {
    expect(slugOf('http://ehelse.no/fhir/CodeSystem/vkp-alert-code-v090')).toBe(
      'vkp-alert-code-v090',
    );
    expect(camelCaseOf('vkp-alert-code-v090')).toBe('vkpAlertCodeV090');
    expect(() => slugOf('http://example.test/CodeSystem/a b')).toThrow('Cannot name a module');
  });

  it('renders data that evaluates back to the parsed data', () => {
    const data = parseCodeSystemXml(
      codeSystem(
        '<concept><code value="A" /><display value="It\'s */ &quot;quoted&quot;" /></concept>',
      ),
      'x.xml',
    );
    const [module] = renderTerminologyModules({
      codeSystems: [{ file: 'x.xml', data }],
      valueSets: [],
    });
    const literal = module?.content.split(' = ')[1]?.split(' as const')[0] ?? '';

    expect(module?.path).toBe('example-v1.code-system.ts');
    expect(JSON.parse(literal)).toEqual(data);
  });

  it('decodes only once', () => {
    expect(decodeEntities('&amp;#229;', 'x.xml')).toBe('&#229;');
    expect(() => decodeEntities('&nbsp;', 'x.xml')).toThrow('undefined entity');
  });
});
