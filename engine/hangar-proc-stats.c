/* hangar-proc-stats.c: what /proc says of a QEMU process and of the host
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * QEMU runs with -name ...,debug-threads=on, so its vCPU threads are named
 * "CPU <n>/TCG" or "CPU <n>/KVM": their time is the guest's, the rest (the main loop,
 * I/O, display, RCU) is QEMU's own overhead. The process's own stat counts every
 * thread, past ones too, so the overhead is the process total minus the vCPUs'.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hangar-proc-stats.h"

/* A vCPU thread list older than this is made again (vCPUs may have been plugged in). */
#define VCPU_RESCAN_US (10 * G_USEC_PER_SEC)

/* utime + stime from a stat file's text; the name may hold spaces and parentheses. */
static gboolean
parse_stat_ticks (const char *stat,
                  guint64    *ticks)
{
  const char *p = strrchr (stat, ')');
  guint field = 2;
  guint64 utime = 0;

  if (p == NULL)
    return FALSE;
  /* After ") " come field 3 (state) on; utime is field 14, stime 15. */
  for (p++; *p != '\0'; p++)
    {
      if (*p != ' ')
        continue;
      field++;
      if (field == 14)
        utime = g_ascii_strtoull (p + 1, NULL, 10);
      else if (field == 15)
        {
          *ticks = utime + g_ascii_strtoull (p + 1, NULL, 10);
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
read_small (const char *path,
            char       *buffer,
            gsize       size)
{
  FILE *file = fopen (path, "re");
  gsize n;

  if (file == NULL)
    return FALSE;
  n = fread (buffer, 1, size - 1, file);
  fclose (file);
  buffer[n] = '\0';
  return n > 0;
}

void
hangar_vcpu_threads_clear (HangarVcpuThreads *threads)
{
  g_clear_pointer (&threads->tids, g_array_unref);
  threads->pid = 0;
  threads->found_us = 0;
}

static void
find_vcpu_threads (GPid               pid,
                   HangarVcpuThreads *threads)
{
  char path[64];
  g_autoptr(GDir) dir = NULL;
  const char *name;

  hangar_vcpu_threads_clear (threads);
  threads->pid = pid;
  threads->tids = g_array_new (FALSE, FALSE, sizeof (GPid));
  threads->found_us = g_get_monotonic_time ();
  g_snprintf (path, sizeof path, "/proc/%d/task", pid);
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      char comm_path[96], comm[64];
      GPid tid = atoi (name);

      g_snprintf (comm_path, sizeof comm_path, "/proc/%d/task/%d/comm", pid, tid);
      if (read_small (comm_path, comm, sizeof comm) && g_str_has_prefix (comm, "CPU "))
        g_array_append_val (threads->tids, tid);
    }
}

/**
 * hangar_proc_read_qemu:
 * @threads: the vCPU threads found before, kept by the caller between calls
 *
 * Returns: FALSE when the process is gone.
 */
gboolean
hangar_proc_read_qemu (GPid                 pid,
                       HangarVcpuThreads   *threads,
                       HangarProcessSample *out)
{
  char path[96], text[1024];
  const char *space;

  memset (out, 0, sizeof *out);
  g_snprintf (path, sizeof path, "/proc/%d/stat", pid);
  if (!read_small (path, text, sizeof text) || !parse_stat_ticks (text, &out->total_ticks))
    return FALSE;
  g_snprintf (path, sizeof path, "/proc/%d/statm", pid);
  if (read_small (path, text, sizeof text) && (space = strchr (text, ' ')) != NULL)
    out->rss_bytes = g_ascii_strtoull (space + 1, NULL, 10) * (guint64) sysconf (_SC_PAGESIZE);

  if (threads->pid != pid || threads->tids == NULL ||
      g_get_monotonic_time () - threads->found_us > VCPU_RESCAN_US)
    find_vcpu_threads (pid, threads);
  for (guint i = 0; i < threads->tids->len; i++)
    {
      guint64 ticks = 0;

      g_snprintf (path, sizeof path, "/proc/%d/task/%d/stat", pid,
                  g_array_index (threads->tids, GPid, i));
      if (read_small (path, text, sizeof text) && parse_stat_ticks (text, &ticks))
        out->vcpu_ticks += ticks;
    }
  /* Threads' times are read after the process's: never let the guest exceed the whole. */
  out->vcpu_ticks = MIN (out->vcpu_ticks, out->total_ticks);
  return TRUE;
}

static guint64
meminfo_value (const char *text,
               const char *key)
{
  const char *at = strstr (text, key);

  return at ? g_ascii_strtoull (at + strlen (key), NULL, 10) * 1024 : 0;
}

/**
 * hangar_proc_read_host:
 *
 * Reads the host's CPU time (/proc/stat's "cpu" line), memory and load.
 */
gboolean
hangar_proc_read_host (HangarHostSample *out)
{
  char text[4096];
  guint64 fields[10] = { 0 };
  const char *p;

  memset (out, 0, sizeof *out);
  if (!read_small ("/proc/stat", text, sizeof text) || !g_str_has_prefix (text, "cpu "))
    return FALSE;
  p = text + 4;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      char *end;

      fields[i] = g_ascii_strtoull (p, &end, 10);
      if (end == p)
        break;
      p = end;
    }
  /* user nice system idle iowait irq softirq steal (guest and guest_nice are in user). */
  for (guint i = 0; i < 8; i++)
    out->total_ticks += fields[i];
  out->busy_ticks = out->total_ticks - fields[3] - fields[4];

  if (read_small ("/proc/meminfo", text, sizeof text))
    {
      out->memory_total = meminfo_value (text, "MemTotal:");
      out->memory_available = meminfo_value (text, "MemAvailable:");
    }
  if (read_small ("/proc/loadavg", text, sizeof text))
    out->load = g_ascii_strtod (text, NULL);
  return TRUE;
}
