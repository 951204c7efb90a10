/* reliability-common.h: small helpers the reliability tests share
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Header-only: each test is one source file, and these few functions are all static.
 */
#pragma once

#include <glib.h>
#include <stdlib.h>

#include "hangar-test-engine.h"

/* The pids of every live process whose command line holds "-uuid @uuid". */
static inline GArray *
reliability_qemu_pids (const char *uuid)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  const char *name;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      GPid pid = atoi (name);
      g_autofree char *path = g_strdup_printf ("/proc/%s/cmdline", name);
      g_autofree char *cmdline = NULL;
      gsize length = 0;

      if (pid <= 0 || !g_file_get_contents (path, &cmdline, &length, NULL) ||
          !hangar_test_pid_alive (pid))
        continue;
      for (gsize i = 0; i < length; i += strlen (cmdline + i) + 1)
        if (g_str_equal (cmdline + i, "-uuid") && i + 6 < length &&
            g_str_equal (cmdline + i + 6, uuid))
          {
            g_array_append_val (pids, pid);
            break;
          }
    }
  return pids;
}

/* Files a crash left half-written: g_file_set_contents()'s "NAME.XXXXXX" beside NAME,
 * anywhere under @dir. Returns how many. */
static inline guint
reliability_count_temp_files (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint count = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      const char *dot = strrchr (name, '.');

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        count += reliability_count_temp_files (path);
      else if (dot != NULL && strlen (dot + 1) == 6 && dot - name > 4 &&
               (strncmp (dot - 4, ".xml", 4) == 0 || strncmp (dot - 4, ".pid", 4) == 0))
        count++;
    }
  return count;
}

/* The state letter of /proc/PID/stat: 'R', 'S', 'T' (stopped), ... or 0. */
static inline char
reliability_process_state (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  const char *end;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (end = strrchr (stat, ')')) == NULL)
    return 0;
  return end[1] == ' ' ? end[2] : 0;
}

static inline GPid
reliability_engine_pid (HangarTestEngine *fixture)
{
  return atoi (g_subprocess_get_identifier (fixture->engine));
}
