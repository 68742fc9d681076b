import type { Settings, settingsChangeSchema } from '@reserveit/console-api';
import { useMutation, useMutationState, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { call } from '../../api/client.js';
import { keys } from '../../domain/query-keys.js';

export type SettingsChange = z.input<typeof settingsChangeSchema>;
export type SettingsSave = ReturnType<typeof useSaveSettings>;

/**
 * One section's save: the server answers with the whole settings, which replace the cached ones.
 * `saved` is read from the mutation cache, since the section remounts with the saved values.
 */
export function useSaveSettings(businessId: string, section: string) {
  const queryClient = useQueryClient();
  const mutationKey = ['saveSettings', businessId, section];
  const save = useMutation({
    mutationKey,
    mutationFn: (change: SettingsChange) => call('changeSettings', { params: { businessId }, body: change }),
    onSuccess: (settings: Settings) => queryClient.setQueryData(keys.settings(businessId), settings),
  });
  const statuses = useMutationState({ filters: { mutationKey }, select: (m) => m.state.status });
  return { save, saved: statuses.at(-1) === 'success' };
}
