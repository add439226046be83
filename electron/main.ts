// Electron's main process, kept thin: one window, menus, the open dialog, and IPC that forwards
// the renderer's Engine API calls to the engine running in a worker thread.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, type MenuItemConstructorOptions } from 'electron';
import type { CaptureSummary, EngineEvent, OpenOutcome } from '../core/engine/api';
import { EngineWorkerClient } from '../core/engine/worker-client';
import { EngineService } from './engine-service';
import {
  DIALOG_CHANNEL,
  EVENT_CHANNEL,
  INVOKE_CHANNEL,
  OPENED_CHANNEL,
  toErrorDTO,
  type InvokeReply,
} from './ipc';

const here = dirname(fileURLToPath(import.meta.url));
const isDev = !app.isPackaged;

export const CAPTURE_FILTERS: Electron.FileFilter[] = [
  { name: 'Captures', extensions: ['pcap', 'pcapng', 'cap', 'gz'] },
  { name: 'All files', extensions: ['*'] },
];

// A worker thread cannot load its script from inside app.asar; electron-builder unpacks out/main.
const engine = new EngineWorkerClient(
  join(here, 'engine-worker.js').replace(/app\.asar([\\/])/, 'app.asar.unpacked$1'),
);
const service = new EngineService(engine);
let window: BrowserWindow | null = null;

/** The capture path given on the command line: the first non-flag argument after the app's own. */
function captureArgument(argv: string[]): string | undefined {
  const firstUserArg = app.isPackaged ? 1 : 2;
  const candidate = argv.slice(firstUserArg).find((arg) => !arg.startsWith('-') && arg !== '.');
  return candidate && existsSync(candidate) ? resolve(candidate) : undefined;
}

function send(channel: string, payload: unknown): void {
  if (window && !window.isDestroyed()) window.webContents.send(channel, payload);
}

/** Opens from the main side (menu, dialog, second instance) and tells the renderer how it ended. */
async function openAndNotify(open: () => Promise<CaptureSummary>): Promise<CaptureSummary | null> {
  let outcome: OpenOutcome;
  try {
    outcome = { summary: await open() };
  } catch (error) {
    outcome = { error: toErrorDTO(error) };
  }
  send(OPENED_CHANNEL, outcome);
  return 'summary' in outcome ? outcome.summary : null;
}

async function showOpenDialog(): Promise<string | null> {
  const options: Electron.OpenDialogOptions = {
    title: 'Open Capture',
    properties: ['openFile'],
    filters: CAPTURE_FILTERS,
  };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0]!;
}

function buildMenu(): Menu {
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        {
          label: 'Open…',
          accelerator: 'CmdOrCtrl+O',
          click: async () => {
            const path = await showOpenDialog();
            if (path) await openAndNotify(() => engine.openFile(path));
          },
        },
        { label: 'Open Demo Capture', click: () => openAndNotify(() => engine.openDemo()) },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
  ];
  if (isDev) {
    template.push({ label: 'View', submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }] });
  }
  template.push({
    role: 'help',
    submenu: [
      {
        label: 'About Wirelens',
        click: () =>
          dialog.showMessageBox({
            type: 'info',
            title: 'About Wirelens',
            message: `Wirelens ${app.getVersion()}`,
            detail: 'A packet analyzer: opens pcap and pcapng captures and decodes every layer.',
          }),
      },
    ],
  });
  return Menu.buildFromTemplate(template);
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'Wirelens',
    show: false,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  // The window shows only our renderer: no navigation away, no pop-ups.
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  if (isDev && devUrl) void win.loadURL(devUrl);
  else void win.loadFile(join(here, '../renderer/index.html'));
  return win;
}

function registerIpc(): void {
  ipcMain.handle(INVOKE_CHANNEL, async (_event, method: unknown, params: unknown): Promise<InvokeReply> => {
    try {
      return { ok: true, result: await service.call(method, params) };
    } catch (error) {
      return { ok: false, error: toErrorDTO(error) };
    }
  });
  ipcMain.handle(DIALOG_CHANNEL, async (): Promise<InvokeReply<CaptureSummary | null>> => {
    const path = await showOpenDialog();
    if (!path) return { ok: true, result: null };
    try {
      return { ok: true, result: await engine.openFile(path) };
    } catch (error) {
      return { ok: false, error: toErrorDTO(error) };
    }
  });
  engine.onEvent((event: EngineEvent) => send(EVENT_CHANNEL, event));
}

// macOS delivers files opened from Finder (or dropped on the dock icon) as events, possibly
// before the app is ready.
let pendingOpenFile: string | undefined;
app.on('open-file', (event, path) => {
  event.preventDefault();
  if (window) void openAndNotify(() => engine.openFile(path));
  else pendingOpenFile = path;
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv) => {
    const path = captureArgument(argv);
    if (path) void openAndNotify(() => engine.openFile(path));
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  void app.whenReady().then(() => {
    Menu.setApplicationMenu(buildMenu());
    registerIpc();
    void service.openAtStart(pendingOpenFile ?? captureArgument(process.argv));
    window = createWindow();
    window.on('closed', () => (window = null));
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) window = createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
