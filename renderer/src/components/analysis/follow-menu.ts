// The "Follow ▸" entry of the packet list's and the details tree's context menus (Wireshark's
// Follow → TCP/UDP/HTTP Stream), enabled for the streams the selected packet belongs to.
import type { MenuItem } from '../filter/menu';
import type { useAnalysisStore } from '../../stores/analysis';

export function followMenuItems(analysis: ReturnType<typeof useAnalysisStore>): MenuItem[] {
  const tcp = analysis.selectedStream('tcp');
  const udp = analysis.selectedStream('udp');
  return [
    {
      label: 'Follow',
      disabled: tcp === null && udp === null,
      children: [
        { label: 'TCP Stream', disabled: tcp === null, action: () => analysis.followSelected('tcp') },
        { label: 'UDP Stream', disabled: udp === null, action: () => analysis.followSelected('udp') },
        { label: 'HTTP Stream', disabled: tcp === null, action: () => analysis.followSelected('http') },
      ],
    },
  ];
}
