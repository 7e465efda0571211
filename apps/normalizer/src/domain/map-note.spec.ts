import { vkpCompositionCategories, vkpCompositionSections } from '@knutepunkt/fhir';
import {
  aVkpResponseCentreComposition,
  vkpFixtureSystems,
  vkpFixtureTimes,
} from '@knutepunkt/fhir/testing';
import { bodyOf, errorOf, invalidAvroPaths, onlyEventOf } from './normalize.spec-helper';

describe('Composition from a response centre → Note', () => {
  it('maps category, handling step, title, sections, text and author', () => {
    const event = onlyEventOf(aVkpResponseCentreComposition());

    expect(bodyOf(event, 'Note')).toEqual({
      category: {
        system: vkpCompositionCategories.url,
        code: '1',
        display: 'Trygghet og mestring',
      },
      eventCode: expect.objectContaining({
        code: '4',
        display: 'hendelse til utrykning',
      }) as unknown,
      title: 'Journalnotat for respons på hendelse',
      text:
        'Fallalarm fra soverommet. Bruker svarte i toveis tale og hadde falt ved sengen.\n\n' +
        'Hjemmetjenesten rykket ut kl. 09:31.\nBruker hjulpet opp, ingen synlige skader.',
      sections: [
        {
          code: {
            system: vkpCompositionSections.url,
            code: '1.2',
            display: 'beskrivelse av hendelse',
          },
          title: 'Beskrivelse av hendelse',
          text: 'Fallalarm fra soverommet. Bruker svarte i toveis tale og hadde falt ved sengen.',
        },
        {
          code: {
            system: vkpCompositionSections.url,
            code: '1.1',
            display: 'beskrivelse av oppfølging',
          },
          title: 'Beskrivelse av oppfølging',
          text: 'Hjemmetjenesten rykket ut kl. 09:31.\nBruker hjulpet opp, ingen synlige skader.',
        },
      ],
      author: 'Test Responssenter',
    });
    expect(event).toMatchObject({ service: 'TA', urgent: false });
    expect(event.occurredAt).toBe(Date.parse(vkpFixtureTimes.alarmClosed));
    expect(invalidAvroPaths(event)).toEqual([]);
  });

  it('files a digital home follow-up note (category 2) under DHO', () => {
    expect(onlyEventOf(aVkpResponseCentreComposition({ category: '2' })).service).toBe('DHO');
  });

  it('files a note whose type is an alert code under that alert’s service', () => {
    const composition = aVkpResponseCentreComposition();
    composition.type = { coding: [{ system: vkpFixtureSystems.alert, code: '1.1' }] };

    expect(onlyEventOf(composition).service).toBe('MD');
  });

  it('decodes the XHTML of a section, entities included', () => {
    const composition = aVkpResponseCentreComposition();
    composition.section = [
      {
        text: {
          status: 'additional',
          div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Bruker &amp; pårørende</p><p>varslet kl.&nbsp;10 &lt;ok&gt;</p></div>',
        },
      },
    ];

    expect(bodyOf(onlyEventOf(composition), 'Note')).toMatchObject({
      text: 'Bruker & pårørende\nvarslet kl. 10 <ok>',
      sections: [{ code: null, title: null, text: 'Bruker & pårørende\nvarslet kl. 10 <ok>' }],
    });
  });

  it('fails without a category', () => {
    const composition = aVkpResponseCentreComposition();
    composition.category = [];

    expect(errorOf(composition)).toMatchObject({
      code: 'NORMALIZE.MISSING_ELEMENT',
      expression: 'Composition.category',
    });
  });

  it('fails on a category outside the VKP code system', () => {
    expect(errorOf(aVkpResponseCentreComposition({ category: '5' }))).toMatchObject({
      code: 'NORMALIZE.UNKNOWN_CODE',
      expression: 'Composition.category[0].coding[0].code',
    });
  });

  it('fails on an unknown handling step', () => {
    expect(
      errorOf(aVkpResponseCentreComposition({ events: [['2', vkpFixtureTimes.alarmRaised]] })),
    ).toMatchObject({
      code: 'NORMALIZE.UNKNOWN_CODE',
      expression: 'Composition.event[0].code[0].coding[0].code',
    });
  });

  it('fails on a note with neither title nor text', () => {
    const composition = aVkpResponseCentreComposition();
    delete composition.section;
    (composition as { title?: string }).title = '';

    expect(errorOf(composition)).toMatchObject({
      code: 'NORMALIZE.MISSING_ELEMENT',
      expression: 'Composition.section',
    });
  });
});
