import { type FollowUpSettings, followUpSettingsSchema } from '@reserveit/contracts';
import type * as pb from '@reserveit/rpc/reservation/v1/reservation';

/** Follow-up settings as reservation.v1 carries them: "" for no template, an absent message for no quiet hours. */
export function followUpsToProto(settings: FollowUpSettings): pb.FollowUps {
  const { reminders, noShow, feedback } = settings;
  return {
    reminders: {
      enabled: reminders.enabled,
      offsetsMinutes: [...reminders.offsetsMinutes],
      ...(reminders.quietHours ? { quietHours: { ...reminders.quietHours } } : {}),
      templateName: reminders.templateName ?? '',
    },
    noShow: { ...noShow },
    feedback: { ...feedback },
  };
}

/**
 * The settings a request gives, checked by the contract's schema (which says what is missing or
 * out of range); a part the request left out is refused there rather than guessed.
 */
export function followUpsFromProto(message: pb.FollowUps): FollowUpSettings {
  const { reminders, noShow, feedback } = message;
  return followUpSettingsSchema.parse({
    reminders: reminders && {
      enabled: reminders.enabled,
      offsetsMinutes: reminders.offsetsMinutes,
      quietHours: reminders.quietHours ? { ...reminders.quietHours } : null,
      templateName: reminders.templateName || null,
    },
    noShow,
    feedback,
  });
}
