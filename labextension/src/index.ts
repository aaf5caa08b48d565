/**
 * gkreport-jupyterlab: JupyterLab knows `%%gkreport` cells.
 *
 * - `gkreport-jupyterlab:editor` registers the CodeMirror extension of ./editor (the body coloured
 *   as YAML, Markdown or CSV) and stable `tok-*` token classes, through IEditorExtensionRegistry.
 * - `gkreport-jupyterlab:commands` adds "New %%gkreport table" (a skeleton cell below the active
 *   one, made by the kernel from gkreport's own table specs) and "Align the pipe table" (the
 *   active `%%gkreport` cell's pipe table re-padded), in the palette and the cell context menu.
 */

import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { EditorExtensionRegistry, IEditorExtensionRegistry } from '@jupyterlab/codemirror';
import { INotebookTracker, NotebookActions } from '@jupyterlab/notebook';

import { gkreportCells, tokenClasses } from './editor';
import { alignPipeTable, lineMeasure } from './pipetable';

const TABLES: Record<string, string> = {
  active: '表二 主动公开政府信息情况',
  requests: '表三 收到和处理政府信息公开申请情况',
  appeals: '表四 政府信息公开行政复议、行政诉讼情况'
};

const editorPlugin: JupyterFrontEndPlugin<void> = {
  id: 'gkreport-jupyterlab:editor',
  description: 'Colours the body of %%gkreport cells as YAML, Markdown or CSV instead of Python.',
  autoStart: true,
  requires: [IEditorExtensionRegistry],
  activate: (app: JupyterFrontEnd, registry: IEditorExtensionRegistry) => {
    registry.addExtension({
      name: 'gkreport:cell-body',
      default: true,
      factory: () => EditorExtensionRegistry.createConditionalExtension(gkreportCells()),
      schema: {
        type: 'boolean',
        title: '%%gkreport cells: colour the body as YAML, Markdown or CSV'
      }
    });
    registry.addExtension({
      name: 'gkreport:token-classes',
      factory: () => EditorExtensionRegistry.createImmutableExtension(tokenClasses())
    });
  }
};

/** Python that returns the cell source for a new table, base64-encoded (a plain ASCII repr). */
function skeletonExpression(table: string): string {
  return (
    "__import__('base64').b64encode(__import__('gkreport.services.notebook', fromlist=['new_cell_source'])" +
    `.new_cell_source(${JSON.stringify(table)}).encode('utf-8')).decode('ascii')`
  );
}

function decodeBase64Utf8(text: string): string {
  const bytes = Uint8Array.from(atob(text), ch => ch.charCodeAt(0));
  return new TextDecoder('utf-8').decode(bytes);
}

const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'gkreport-jupyterlab:commands',
  description: 'New %%gkreport table cell; align the pipe table of a %%gkreport cell.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette],
  activate: (app: JupyterFrontEnd, tracker: INotebookTracker, palette: ICommandPalette | null) => {
    const hasNotebook = () => tracker.currentWidget !== null && tracker.currentWidget === app.shell.currentWidget;

    app.commands.addCommand('gkreport:new-table', {
      label: args => (args.table ? `New %%gkreport cell: ${TABLES[args.table as string] ?? args.table}` : 'New %%gkreport table'),
      caption: 'Insert below a %%gkreport cell with the empty table in the sparse form (needs %load_ext gkreport in the kernel)',
      isEnabled: hasNotebook,
      execute: async args => {
        const panel = tracker.currentWidget;
        const kernel = panel?.sessionContext.session?.kernel;
        const table = (args.table as string) || 'requests';
        if (!panel || !kernel) {
          Notification.error('没有运行中的内核 (no running kernel)');
          return;
        }
        const reply = await kernel.requestExecute({
          code: '',
          silent: true,
          store_history: false,
          user_expressions: { cell: skeletonExpression(table) }
        }).done;
        const result = (reply.content as any).user_expressions?.cell;
        if (!result || result.status !== 'ok') {
          Notification.error(`无法生成表格骨架：${result?.evalue ?? '内核未安装 gkreport'} (pip install gkreport)`);
          return;
        }
        const encoded = String(result.data['text/plain']).replace(/^'|'$/g, '');
        NotebookActions.insertBelow(panel.content);
        const cell = panel.content.activeCell;
        if (cell) {
          cell.model.sharedModel.setSource(decodeBase64Utf8(encoded));
          cell.editor?.focus();
        }
      }
    });

    app.commands.addCommand('gkreport:align-table', {
      label: 'Align the %%gkreport pipe table',
      caption: 'Pad the cells of the pipe table in the active %%gkreport cell so its columns line up',
      isEnabled: () => hasNotebook() && !!tracker.activeCell?.model.sharedModel.getSource().match(/^\s*%%gkreport/),
      execute: () => {
        const cell = tracker.activeCell;
        if (!cell) {
          return;
        }
        const source = cell.model.sharedModel.getSource();
        const line = cell.editor?.host.querySelector('.cm-line');
        const shown = line ? lineMeasure(line) : null;
        const aligned = alignPipeTable(source, shown?.measure);
        shown?.dispose();
        if (aligned !== source) {
          cell.model.sharedModel.setSource(aligned);
        }
      }
    });

    for (const table of Object.keys(TABLES)) {
      palette?.addItem({ command: 'gkreport:new-table', args: { table }, category: 'gkreport' });
    }
    palette?.addItem({ command: 'gkreport:align-table', category: 'gkreport' });
    app.contextMenu.addItem({ command: 'gkreport:align-table', selector: '.jp-CodeCell', rank: 60 });
    app.contextMenu.addItem({ command: 'gkreport:new-table', args: { table: 'requests' }, selector: '.jp-Notebook', rank: 61 });
  }
};

export default [editorPlugin, commandsPlugin];
