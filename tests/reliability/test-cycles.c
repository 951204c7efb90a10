/* test-cycles.c: 1,000 starts and stops of one machine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Issue 8, "Concurrency and load": Start, then ForceOff, 1,000 times. Each cycle is made
 * cheap: the machine boots no kernel (QEMU's firmware finds nothing to boot) and is
 * stopped as soon as its monitor has answered, so the cycle costs what QEMU's start and
 * end cost, with the serial and VNC sockets made and removed every time. The engine's
 * open fds and RSS after a warm-up and after the last cycle must stay flat; at the end
 * no QEMU of the machine runs and its runtime folder holds no socket, pid file or
 * temporary file, only its two logs. Prints the growth per 1,000 cycles.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <signal.h>

#include "hangar-test-engine.h"
#include "reliability-common.h"

#define CYCLES 1000
#define WARM_UP 20

typedef HangarTestEngine Fixture;

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  hangar_test_engine_setup (fixture);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  hangar_test_engine_teardown (fixture);
}

static guint
count_fds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", pid);

  return hangar_test_count_files (path);
}

static guint64
rss_kib (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

/* Whether the engine runs under AddressSanitizer: its quarantine holds freed memory
 * back (256 MiB by default), so RSS grows whatever the engine does. */
static gboolean
under_asan (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/maps", pid);
  g_autofree char *maps = NULL;

  return g_file_get_contents (path, &maps, NULL, NULL) && strstr (maps, "libasan") != NULL;
}

static void
test_cycles (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *xml = g_strdup (
    "<domain type='kvm'>\n"
    "  <name>cycler</name>\n"
    "  <memory unit='MiB'>64</memory>\n"
    "  <vcpu>1</vcpu>\n"
    "  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n"
    "  <devices><serial type='pty'/><graphics type='vnc'/></devices>\n"
    "</domain>\n");
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, xml);
  g_autofree char *uuid = hangar_dbus_machine1_dup_uuid (machine);
  g_autofree char *runtime = g_build_filename (fixture->runtime_dir, "hangar", uuid, NULL);
  g_autoptr(GArray) left = NULL;
  g_autoptr(GString) files = g_string_new (NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  GPid engine = reliability_engine_pid (fixture);
  guint fds_before = 0, fds_after, stray_files = 0;
  guint64 rss_before = 0, rss_after;
  gint64 began = 0;
  double fd_growth, rss_growth, seconds;
  const char *name;

  for (guint i = 0; i < CYCLES + WARM_UP; i++)
    {
      if (i == WARM_UP)
        {
          fds_before = count_fds (engine);
          rss_before = rss_kib (engine);
          began = g_get_monotonic_time ();
        }
      hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
      g_assert_no_error (error);
      hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
      g_assert_no_error (error);
    }
  seconds = (g_get_monotonic_time () - began) / 1e6;
  fds_after = count_fds (engine);
  rss_after = rss_kib (engine);
  fd_growth = ((double) fds_after - fds_before) * 1000 / CYCLES;
  rss_growth = ((double) rss_after - rss_before) * 1000 / CYCLES;

  /* Nothing left behind. */
  hangar_test_wait_state (machine, "shut-off", 10);
  left = reliability_qemu_pids (uuid);
  dir = g_dir_open (runtime, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_string_append_printf (files, " %s", name);
      if (!g_str_equal (name, "qemu.log") && !g_str_equal (name, "serial0.log"))
        stray_files++;
    }
  stray_files += reliability_count_temp_files (fixture->config_dir);

  g_test_message ("%u start/stop cycles in %.1f s (%.0f ms each): the engine's fds %u → %u "
                  "(%+.1f per 1,000 cycles), RSS %" G_GUINT64_FORMAT " → %" G_GUINT64_FORMAT
                  " KiB (%+.0f KiB per 1,000 cycles%s); QEMUs left: %u; files in the runtime "
                  "folder:%s (%u beyond the two logs)", CYCLES, seconds, seconds * 1000 / CYCLES,
                  fds_before, fds_after, fd_growth, rss_before, rss_after, rss_growth,
                  under_asan (engine) ? ", under ASan: its quarantine grows it, not checked" : "",
                  left->len, files->str, stray_files);
  g_assert_cmpuint (left->len, ==, 0);
  g_assert_cmpuint (stray_files, ==, 0);
  g_assert_cmpuint (fds_after, <=, fds_before);
  if (!under_asan (engine))
    g_assert_cmpfloat (rss_growth, <, 2048);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reliability/cycles", Fixture, NULL, setup, test_cycles, teardown);
  return g_test_run ();
}
