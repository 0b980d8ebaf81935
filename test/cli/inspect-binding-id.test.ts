/**
 * Which files belong together: every refusal of files of two databases (INPUT_MIXED_DATABASES) names
 * their binding ids, and `inspect` showed none of them, so a user handed a folder of files could not
 * sort them before giving them together. It now prints the binding id of a data file and a log file
 * (page 0) and of a backup (HEADERONLY BindingID, with FamilyGUID), the same value the check compares.
 */
import { expect, it } from 'vitest';
import { captureCli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const line = (out: string, key: string) => out.split('\n').find((l) => l.startsWith(key.padEnd(24) + ' '))?.slice(25);

describeCorpus('inspect prints the binding id the check of files given together compares', () => {
  it('a data file and its log: the same id; another database\'s log: another', async () => {
    const mdf = await cli('inspect', corpusPath('AngularJs_CRUD/App_Data/Database1.mdf'));
    const ldf = await cli('inspect', corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf'));
    const other = await cli('inspect', corpusPath('CRUD-.NET/App_Data/Database2_log.ldf'));
    expect(line(mdf.stdout, 'binding id')).toBe('97C13D95-088B-43ED-85E5-F9F10FED2D16');
    expect(line(ldf.stdout, 'binding id')).toBe('97C13D95-088B-43ED-85E5-F9F10FED2D16');
    expect(line(other.stdout, 'binding id')).toBe('FF5248B9-6B40-4D69-96B7-CBE9547BFD25');
    const json = await cli('inspect', '--format', 'json', corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf'));
    expect(JSON.parse(json.stdout).bindingId).toBe('97C13D95-088B-43ED-85E5-F9F10FED2D16');
  });

  it('a backup and a log backup of one database: binding id and family GUID', async () => {
    for (const f of ['RestoreTimeClean.bak', 'RestoreTimeClean_1.trn']) {
      const r = await cli('inspect', corpusPath('appveyor-lab/RestoreTimeClean', f));
      expect(line(r.stdout, 'binding id'), f).toBe('F784761B-0032-4636-9A07-202706D9F791');
      expect(line(r.stdout, 'family GUID'), f).toBe('E4B9B1B7-255C-4866-AF1F-EB4A29E8C2C9');
    }
  });
});
