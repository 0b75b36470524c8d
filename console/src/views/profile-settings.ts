/**
 * The application page's *Provisioning features* (switches) and *Attribute mapping* (a table of
 * profile attribute ← SCIM attribute, pickers of the default attributes and of the SCIM attributes a
 * real user carries, custom attributes, and a live preview of the draft on that user before saving).
 * Everything is checked by the gateway: the preview and the save answer the same problems.
 */
import { announce, h, replace, uid } from '../dom';
import { dataCell as cell, errorState, formMessage, loadingState, tableWrap } from '../components';
import type { ViewContext } from '../context';
import type { FeaturesJson, MappingEntryJson, MappingJson, MappingPreviewJson, TransformJson } from '../../../lambdas/admin/profile-json';

const SWITCHES: { key: Exclude<keyof FeaturesJson, 'delete'>; label: string }[] = [
  { key: 'create', label: 'Create users' },
  { key: 'update', label: 'Update users' },
  { key: 'deactivate', label: 'Deactivate users' },
  { key: 'reactivate', label: 'Reactivate users' },
  { key: 'groups', label: 'Write groups (reads are always answered)' },
];

export const featuresSection = (ctx: ViewContext, appId: string): HTMLElement => {
  const body = h('div', null, loadingState('Loading the provisioning features…'));
  const section = h('section', { class: 'card', 'aria-labelledby': 'features-title' }, h('h2', { id: 'features-title' }, 'Provisioning features'), body);
  const load = async () => {
    let features: FeaturesJson;
    try {
      features = await ctx.api.get<FeaturesJson>(`admin/apps/${encodeURIComponent(appId)}/features`);
    } catch (error) {
      return replace(body, errorState(error, () => void load()));
    }
    const boxes = SWITCHES.map(({ key, label }) => {
      const id = `feature-${key}`;
      const box = h('input', { id, type: 'checkbox', name: key, role: 'switch', checked: features[key] });
      return { key, element: h('div', { class: 'checkbox' }, box, h('label', { for: id }, label)), box };
    });
    const deleteMode = h(
      'select',
      { id: 'feature-delete', name: 'delete' },
      ...(['delete', 'deactivate', 'ignore'] as const).map((mode) =>
        h('option', { value: mode, selected: features.delete === mode }, mode === 'delete' ? 'Delete the user' : mode === 'deactivate' ? 'Keep the user, deactivated' : 'Ignore (change nothing)'),
      ),
    );
    const message = formMessage();
    const save = h('button', { type: 'submit' }, 'Save features');
    replace(
      body,
      h(
        'form',
        {
          onsubmit: async (event: Event) => {
            event.preventDefault();
            save.disabled = true;
            try {
              const next = { ...Object.fromEntries(boxes.map((b) => [b.key, b.box.checked])), delete: deleteMode.value };
              await ctx.api.put<FeaturesJson>(`admin/apps/${encodeURIComponent(appId)}/features`, next);
              message.info('Saved. SCIM requests follow the new features within a minute.');
              announce('Provisioning features saved.');
            } catch (error) {
              message.error(error);
            } finally {
              save.disabled = false;
            }
          },
        },
        h('p', { class: 'help' }, 'A request a switch turns off is refused with 403 naming the switch, so the identity provider\'s log says why.'),
        ...boxes.map((b) => b.element),
        h('label', { for: 'feature-delete' }, 'When the identity provider deletes a user'),
        deleteMode,
        h('div', { class: 'actions' }, save),
        message.element,
      ),
    );
  };
  void load();
  return section;
};

/** `trim, {"split": ";"}` ↔ the transform list: plain names, or `split ;` / `join , ` for the two with a separator. */
const transformText = (list: readonly TransformJson[]): string =>
  list.map((t) => (typeof t === 'string' ? t : 'split' in t ? `split ${t.split}` : `join ${t.join}`)).join(', ');
const transformsOf = (text: string): TransformJson[] =>
  text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part): TransformJson => {
      const [name, ...rest] = part.split(' ');
      if (name === 'split' || name === 'join') return { [name]: rest.join(' ') || ',' } as TransformJson;
      return name as TransformJson;
    });
/** A default typed as JSON (`42`, `true`, `["a"]`) is that value; other text is text; empty is none. */
const defaultOf = (text: string): MappingEntryJson['default'] => {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as MappingEntryJson['default'];
  } catch {
    return text;
  }
};

export const mappingSection = (ctx: ViewContext, appId: string): HTMLElement => {
  const body = h('div', null, loadingState('Loading the attribute mapping…'));
  const section = h('section', { class: 'card', 'aria-labelledby': 'mapping-title' }, h('h2', { id: 'mapping-title' }, 'Attribute mapping'), body);
  const base = `admin/apps/${encodeURIComponent(appId)}/mapping`;

  const load = async () => {
    let mapping: MappingJson;
    let info: MappingPreviewJson;
    try {
      [mapping, info] = await Promise.all([ctx.api.get<MappingJson>(base), ctx.api.post<MappingPreviewJson>(`${base}/preview`, {})]);
    } catch (error) {
      return replace(body, errorState(error, () => void load()));
    }
    const profileList = h('datalist', { id: uid('profile-names') }, ...info.defaults.map((d) => h('option', { value: d.name }, d.label)));
    const scimList = h('datalist', { id: uid('scim-paths') });
    const fillScim = (received: string[]) =>
      replace(scimList, ...[...new Set([...info.defaults.map((d) => d.scim), ...received])].map((path) => h('option', { value: path })));
    fillScim([]);

    const rows = h('tbody');
    const addRow = (entry: MappingEntryJson) => {
      const input = (label: string, value: string, list?: string) => h('input', { type: 'text', value, 'aria-label': label, ...(list ? { list } : {}) });
      const profile = input('Profile attribute', entry.profile, profileList.id);
      const scim = input('SCIM attribute', entry.scim, scimList.id);
      const dflt = input('Default', entry.default === null ? '' : typeof entry.default === 'string' ? entry.default : JSON.stringify(entry.default));
      const transform = input('Transforms', transformText(entry.transform));
      const row = h(
        'tr',
        { class: 'mapping-row' },
        cell('Profile attribute', profile),
        cell('SCIM attribute', scim),
        cell('Default', dflt),
        cell('Transforms', transform),
        cell('Action', h('button', { type: 'button', class: 'secondary', onclick: () => row.remove() }, 'Remove')),
      );
      Object.assign(row, { read: (): MappingEntryJson => ({ profile: profile.value.trim(), scim: scim.value.trim(), default: defaultOf(dflt.value), transform: transformsOf(transform.value) }) });
      rows.append(row);
    };
    mapping.attributes.forEach(addRow);

    const customRows = h('ul', { class: 'custom-list' });
    const addCustom = (name: string, type: string) => {
      const nameInput = h('input', { type: 'text', value: name, 'aria-label': 'Custom attribute name', placeholder: 'costCenterCode' });
      const typeSelect = h('select', { 'aria-label': 'Custom attribute type' }, ...['string', 'boolean', 'number', 'date', 'stringList'].map((t) => h('option', { value: t, selected: t === type }, t)));
      const item = h('li', { class: 'custom-row' }, nameInput, typeSelect, h('button', { type: 'button', class: 'secondary', onclick: () => item.remove() }, 'Remove'));
      Object.assign(item, { read: () => ({ name: nameInput.value.trim(), type: typeSelect.value }) });
      customRows.append(item);
    };
    mapping.custom.forEach((c) => addCustom(c.name, c.type));

    const draft = () => ({
      attributes: [...rows.querySelectorAll('tr')].map((r) => (r as unknown as { read(): MappingEntryJson }).read()),
      custom: [...customRows.querySelectorAll('li')].map((r) => (r as unknown as { read(): { name: string; type: string } }).read()).filter((c) => c.name),
    });

    const status = h('p', { class: 'help', 'data-testid': 'mapping-status' });
    const showStatus = (m: MappingJson) => {
      const job = m.recompute;
      status.textContent =
        m.version === 0
          ? 'The default mapping: what Microsoft Entra ID sends by default.'
          : !job || job.state === 'done'
            ? `Version ${m.version}. Every profile follows it${job?.failed ? `, except ${job.failed} users it cannot read (they keep their previous profile)` : ''}.`
            : `Version ${m.version}. Profiles are being recomputed: ${job.processed} users read so far. Until this is done some profiles follow the previous mapping.`;
    };
    showStatus(mapping);

    const previewUser = h('input', { id: 'preview-user', type: 'text', placeholder: 'userName or id' });
    const previewOut = h('div', { class: 'preview', 'aria-live': 'polite', 'data-testid': 'mapping-preview' });
    const preview = async () => {
      replace(previewOut, loadingState('Computing the profile…'));
      try {
        const result = await ctx.api.post<MappingPreviewJson>(`${base}/preview`, { mapping: draft(), user: previewUser.value.trim() });
        if (result.receivedPaths.length) fillScim(result.receivedPaths);
        if (result.mappingProblems.length) return replace(previewOut, h('ul', { class: 'message-error', role: 'alert' }, ...result.mappingProblems.map((p) => h('li', null, `${p.at}: ${p.problem}`))));
        if (result.problems) return replace(previewOut, h('ul', { class: 'message-error', role: 'alert' }, ...result.problems.map((p) => h('li', null, `${p.profileAttribute} ← ${p.scimPath}: ${p.problem}`))));
        if (!result.properties) return replace(previewOut, h('p', { class: 'muted' }, 'Name a user to see the profile this mapping gives it.'));
        replace(previewOut, h('dl', { class: 'properties' }, ...result.properties.flatMap((p) => [h('dt', null, p.label), h('dd', null, p.value)])));
      } catch (error) {
        replace(previewOut, errorState(error));
      }
    };

    const message = formMessage();
    const save = h('button', { type: 'submit' }, 'Save mapping');
    replace(
      body,
      h(
        'form',
        {
          onsubmit: async (event: Event) => {
            event.preventDefault();
            save.disabled = true;
            try {
              const saved = await ctx.api.put<MappingJson>(base, { ...draft(), version: mapping.version });
              mapping = saved;
              showStatus(saved);
              message.info('Saved. Every profile of the application is being recomputed in the background.');
              announce('Attribute mapping saved.');
            } catch (error) {
              message.error(error);
            } finally {
              save.disabled = false;
            }
          },
        },
        status,
        profileList,
        scimList,
        tableWrap(
          'Attribute mapping',
          h(
            'table',
            { class: 'data-table mapping-table' },
            h('thead', null, h('tr', null, ...['Profile attribute', 'SCIM attribute', 'Default', 'Transforms', ''].map((t) => h('th', { scope: 'col' }, t)))),
            rows,
          ),
        ),
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => addRow({ profile: '', scim: '', default: null, transform: [] }) }, 'Add attribute')),
        h('h3', null, 'Custom profile attributes'),
        customRows,
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => addCustom('', 'string') }, 'Add custom attribute')),
        h('h3', null, 'Preview'),
        h('label', { for: 'preview-user' }, 'A user of this application'),
        previewUser,
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => void preview() }, 'Preview')),
        previewOut,
        h('div', { class: 'actions' }, save),
        message.element,
      ),
    );
  };
  void load();
  return section;
};
