/* hangar-qemu-process.c: is this pid still the QEMU the engine started?
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * After an engine restart a pid in qemu.pid proves nothing: QEMU may have died while
 * no engine ran and the kernel may have given its pid to another process. Before the
 * engine adopts a pid, and so before it ever signals it, the process must be the one
 * it started: the start time written beside the pid (field 22 of /proc/PID/stat, in
 * clock ticks since boot), QEMU's executable, the machine's -uuid on its command
 * line and its runtime folder as working folder (the engine starts every QEMU there).
 *
 * A QEMU spawned by an engine that died before it wrote qemu.pid has no pid file:
 * hangar_qemu_process_find() looks for it by the same marks, so the next engine
 * adopts it instead of starting a second one.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "hangar-qemu-process.h"

/* The fields of /proc/PID/stat after the command name, or NULL. */
static char **
stat_fields (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  const char *end;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (end = strrchr (stat, ')')) == NULL ||
      end[1] != ' ')
    return NULL;
  return g_strsplit (end + 2, " ", -1);
}

/* When @pid started, in clock ticks after boot; 0 if there is no such process. */
guint64
hangar_qemu_process_start_time (GPid pid)
{
  g_auto(GStrv) fields = stat_fields (pid);

  /* Field 3 (state) is fields[0], so field 22 (starttime) is fields[19]. */
  if (fields == NULL || g_strv_length (fields) < 20)
    return 0;
  return g_ascii_strtoull (fields[19], NULL, 10);
}

static char *
proc_link (GPid        pid,
           const char *name)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/%s", pid, name);
  char *target = g_file_read_link (path, NULL);
  char *deleted;

  /* QEMU's binary replaced by an upgrade while it runs: still that binary. */
  if (target != NULL && (deleted = g_strrstr (target, " (deleted)")) != NULL &&
      deleted[strlen (" (deleted)")] == '\0')
    *deleted = '\0';
  return target;
}

static gboolean
same_file (const char *a,
           const char *b)
{
  g_autofree char *real_a = a ? realpath (a, NULL) : NULL;
  g_autofree char *real_b = b ? realpath (b, NULL) : NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  return g_str_equal (real_a ? real_a : a, real_b ? real_b : b);
}

static gboolean
has_uuid (GPid        pid,
          const char *uuid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/cmdline", pid);
  g_autofree char *cmdline = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &cmdline, &length, NULL))
    return FALSE;
  for (gsize i = 0; i < length; i += strlen (cmdline + i) + 1)
    if (g_str_equal (cmdline + i, "-uuid") && i + 6 < length &&
        g_str_equal (cmdline + i + 6, uuid))
      return TRUE;
  return FALSE;
}

/**
 * hangar_qemu_process_matches:
 * @start_time: the start time recorded with the pid, or 0 if none was
 *
 * Whether @pid is a live (not zombie) QEMU of the machine @uuid that the engine
 * started in @runtime_dir, and not a process that got its pid later.
 */
gboolean
hangar_qemu_process_matches (GPid        pid,
                             guint64     start_time,
                             const char *qemu_binary,
                             const char *runtime_dir,
                             const char *uuid)
{
  g_auto(GStrv) fields = pid > 0 ? stat_fields (pid) : NULL;
  g_autofree char *exe = NULL;
  g_autofree char *cwd = NULL;

  if (fields == NULL || g_strv_length (fields) < 20 || fields[0][0] == 'Z' ||
      fields[0][0] == 'X')
    return FALSE;
  if (start_time != 0 && g_ascii_strtoull (fields[19], NULL, 10) != start_time)
    return FALSE;
  exe = proc_link (pid, "exe");
  cwd = proc_link (pid, "cwd");
  return same_file (exe, qemu_binary) && same_file (cwd, runtime_dir) && has_uuid (pid, uuid);
}

/**
 * hangar_qemu_process_find:
 *
 * Returns: the pid of the QEMU of machine @uuid running in @runtime_dir, or 0.
 */
GPid
hangar_qemu_process_find (const char *qemu_binary,
                          const char *runtime_dir,
                          const char *uuid)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  g_autofree char *wanted = realpath (runtime_dir, NULL);
  const char *name;

  while (proc != NULL && wanted != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      GPid pid = (GPid) g_ascii_strtoll (name, NULL, 10);
      g_autofree char *cwd = NULL;

      /* The working folder first: one readlink rules out nearly every process. */
      if (pid <= 0 || (cwd = proc_link (pid, "cwd")) == NULL || !g_str_equal (cwd, wanted))
        continue;
      if (hangar_qemu_process_matches (pid, 0, qemu_binary, runtime_dir, uuid))
        return pid;
    }
  return 0;
}
