/* hangar-test-desktop.c: what UI tests need of the desktop under Xvfb
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hangar-test-desktop.h"

/**
 * hangar_test_start_window_manager:
 *
 * Starts openbox on $DISPLAY, for what needs a window manager (focus, the keyboard
 * grab, fullscreen), and returns once it has set _NET_SUPPORTING_WM_CHECK.
 *
 * Returns: (transfer full): openbox; the caller ends it
 */
GSubprocess *
hangar_test_start_window_manager (void)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *openbox;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  openbox = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                              G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              "openbox", "--sm-disable", NULL);
  g_assert_no_error (error);
  for (;;)
    {
      g_autofree char *out = NULL;

      g_spawn_command_line_sync ("xprop -root _NET_SUPPORTING_WM_CHECK", &out, NULL, NULL,
                                 NULL);
      if (out != NULL && strstr (out, "window id") != NULL)
        return openbox;
      if (g_get_monotonic_time () > deadline)
        g_error ("openbox did not start");
      g_usleep (50 * 1000);
    }
}
