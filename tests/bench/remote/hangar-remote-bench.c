/* hangar-remote-bench.c: a remote engine over SSH against the local one
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Issue 9's figures, printed, never asserted. The remote engine is the one the test sshd
 * (tests/hangar-test-sshd.h) runs for its user on 127.0.0.1; the local one is on the
 * private session bus. Both hold the same 50 definitions (not running).
 *  1. Listing 50 machines after connecting: connect (ssh + `hangar-engine --stdio`, or a
 *     bus connection) and the object manager's GetManagedObjects until the 50 are
 *     there; then GetManagedObjects alone on the open connection; then whole
 *     `hangarctl [--connect URL] list --all` processes.
 *  2. First console bytes of a running tiny guest (VNC): the call or ssh spawn until the
 *     RFB banner, and until the first FramebufferUpdate after the handshake, over
 *     `ssh … hangar-engine --console UUID vnc` and over Machine1.OpenConsole.
 * Each a median with min and max over N runs (HANGAR_BENCH_REMOTE_N, 10), side by side
 * with the ratio remote/local, over a new SSH connection each time (as hangarctl
 * --connect) and through one SSH master connection (ControlMaster, as the UI keeps). Over loopback, so the figures are SSH's and the relay's
 * cost, without network latency.
 */
#define G_LOG_DOMAIN "hangar-bench"

#include "config.h"

#include <gio/gunixfdlist.h>
#include <math.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hangar-test-engine.h"
#include "hangar-test-sshd.h"

#define MACHINES 50

typedef struct
{
  const char *label;
  GArray     *local;   /* double, ms */
  GArray     *remote;  /* a new SSH connection each time */
  GArray     *shared;  /* through one SSH master connection, as the UI does */
} Row;

static char *control_path;

/* `ssh …` for @remote_command, through the master connection when @shared. */
static GPtrArray *
ssh_argv (HangarTestSshd *sshd,
          const char     *remote_command,
          gboolean        shared)
{
  GPtrArray *argv = hangar_test_sshd_ssh_argv (sshd, remote_command);

  if (shared)
    {
      g_ptr_array_insert (argv, 1, g_strdup ("-oControlMaster=auto"));
      g_ptr_array_insert (argv, 2, g_strdup_printf ("-oControlPath=%s", control_path));
      g_ptr_array_insert (argv, 3, g_strdup ("-oControlPersist=120"));
    }
  return argv;
}

static GDBusConnection *
connect_ssh (HangarTestSshd  *sshd,
             gboolean         shared,
             GSubprocess    **out_ssh)
{
  g_autoptr(GPtrArray) argv = ssh_argv (sshd, "hangar-engine --stdio", shared);
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection;

  *out_ssh = g_subprocess_newv ((const char * const *) argv->pdata,
                                G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                &error);
  g_assert_no_error (error);
  stream = g_simple_io_stream_new (g_subprocess_get_stdout_pipe (*out_ssh),
                                   g_subprocess_get_stdin_pipe (*out_ssh));
  connection = g_dbus_connection_new_sync (stream, NULL,
                                           G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
                                           NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_set_exit_on_close (connection, FALSE);
  return connection;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

static void
print_row (Row *row)
{
  double local = median (row->local), remote = median (row->remote);
  double shared = row->shared->len ? median (row->shared) : NAN;

  g_print ("%-42s %7.2f [%6.2f-%6.2f] %8.2f [%7.2f-%7.2f] %6.1fx", row->label, local,
           g_array_index (row->local, double, 0),
           g_array_index (row->local, double, row->local->len - 1), remote,
           g_array_index (row->remote, double, 0),
           g_array_index (row->remote, double, row->remote->len - 1), remote / local);
  if (row->shared->len > 0)
    g_print (" %7.2f [%6.2f-%6.2f] %6.1fx", shared, g_array_index (row->shared, double, 0),
             g_array_index (row->shared, double, row->shared->len - 1), shared / local);
  g_print ("\n");
}

static void
add (GArray *values,
     double  value)
{
  g_array_append_val (values, value);
}

static guint
count_machines (GDBusObjectManager *manager)
{
  GList *objects = g_dbus_object_manager_get_objects (manager);
  guint count = 0;

  for (GList *l = objects; l != NULL; l = l->next)
    {
      g_autoptr(HangarDBusMachine1) machine = hangar_dbus_object_get_machine1 (l->data);
      count += machine != NULL;
    }
  g_list_free_full (objects, g_object_unref);
  return count;
}

static void
get_managed_objects (GDBusConnection *connection,
                     const char      *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (
    connection, name, ENGINE_OBJECT_PATH, "org.freedesktop.DBus.ObjectManager",
    "GetManagedObjects", NULL, NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);

  g_assert_no_error (error);
}

static void
run_ctl (char **env,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  int status;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) g_getenv ("HANGARCTL"));
  va_start (ap, env);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
read_exactly (int    fd,
              void  *buffer,
              gsize  length)
{
  gsize got = 0;

  while (got < length)
    {
      ssize_t n = read (fd, (char *) buffer + got, length - got);

      g_assert_cmpint (n, >, 0);
      got += n;
    }
}

static void
write_exactly (int         fd,
               const void *data,
               gsize       length)
{
  g_assert_cmpint (write (fd, data, length), ==, (gssize) length);
}

/* RFB on @fd from the banner to the first FramebufferUpdate; the times (ms after
 * @start) of the banner and of that update. */
static void
rfb_first_bytes (int     fd,
                 double  start,
                 double *banner_ms,
                 double *update_ms)
{
  char banner[12];
  guint8 count, types[16], result[4], init[24], request[10], update[4];
  guint32 name_length;
  g_autofree char *name = NULL;

  read_exactly (fd, banner, sizeof banner);
  *banner_ms = now_ms () - start;
  g_assert_cmpmem (banner, 12, "RFB 003.008\n", 12);
  write_exactly (fd, "RFB 003.008\n", 12);
  read_exactly (fd, &count, 1);
  g_assert_cmpuint (count, >, 0);
  g_assert_cmpuint (count, <=, sizeof types);
  read_exactly (fd, types, count);
  write_exactly (fd, "\1", 1);                 /* security: None */
  read_exactly (fd, result, 4);
  g_assert_cmpmem (result, 4, "\0\0\0\0", 4);
  write_exactly (fd, "\1", 1);                 /* ClientInit: shared */
  read_exactly (fd, init, sizeof init);        /* size, pixel format, name length */
  name_length = GUINT32_FROM_BE (*(guint32 *) (init + 20));
  name = g_malloc (name_length + 1);
  read_exactly (fd, name, name_length);
  request[0] = 3;                              /* FramebufferUpdateRequest, whole screen */
  request[1] = 0;
  memset (request + 2, 0, 4);
  memcpy (request + 6, init, 4);
  write_exactly (fd, request, sizeof request);
  read_exactly (fd, update, sizeof update);
  *update_ms = now_ms () - start;
  g_assert_cmpuint (update[0], ==, 0);         /* FramebufferUpdate */
}

int
main (int   argc,
      char *argv[])
{
  HangarTestEngine local = { 0 };
  g_autoptr(HangarTestSshd) sshd = NULL;
  g_autoptr(GSubprocess) ssh = NULL;
  g_autoptr(GDBusConnection) remote = NULL;
  g_autoptr(HangarDBusMachine1) remote_screen = NULL;
  g_autoptr(HangarDBusMachine1) local_screen = NULL;
  g_autoptr(GDBusObjectManager) remote_manager = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) remote_env = NULL;
  g_auto(GStrv) local_env = NULL;
  guint n = g_getenv ("HANGAR_BENCH_REMOTE_N") ? atoi (g_getenv ("HANGAR_BENCH_REMOTE_N")) : 10;
  Row rows[] = {
    { "connect + list 50 machines (object manager)" }, { "list 50 on an open connection" },
    { "hangarctl list --all (whole process)" }, { "VNC: until the RFB banner" },
    { "VNC: until the first FramebufferUpdate" },
  };

  g_test_init (&argc, &argv, NULL);
  n = MAX (n, 1);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      rows[i].local = g_array_new (FALSE, FALSE, sizeof (double));
      rows[i].remote = g_array_new (FALSE, FALSE, sizeof (double));
      rows[i].shared = g_array_new (FALSE, FALSE, sizeof (double));
    }

  hangar_test_engine_setup (&local);
  sshd = hangar_test_sshd_new ();
  control_path = g_build_filename (sshd->dir, "master", NULL);
  remote = hangar_test_sshd_connect (sshd, &ssh);
  for (guint i = 0; i < MACHINES; i++)
    {
      g_autofree char *name = g_strdup_printf ("bench-%02u", i);
      g_autofree char *xml = hangar_test_guest_xml (name, NULL);
      g_autoptr(HangarDBusMachine1) a = hangar_test_define (&local, xml);
      g_autoptr(HangarDBusMachine1) b = hangar_test_sshd_define (sshd, remote, NULL, xml);
    }
  {
    g_autofree char *xml = hangar_test_guest_xml ("screen", "<graphics type='vnc'/>");

    local_screen = hangar_test_define (&local, xml);
    remote_screen = hangar_test_sshd_define (sshd, remote, &remote_manager, xml);
  }
  remote_env = hangar_test_sshd_client_environ (sshd);
  local_env = hangar_test_engine_environ (&local);

  /* 1. Listing. The remote connection above stays open: each new one is relayed through
   * the running remote engine's socket, as a second client of a host would be. The VNC
   * machines are stopped here: 50 + 1 machines on each side. */
  for (guint run = 0; run < n; run++)
    {
      double start = now_ms ();
      g_autoptr(GDBusConnection) bus = g_dbus_connection_new_for_address_sync (
        g_getenv ("DBUS_SESSION_BUS_ADDRESS"),
        G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
        G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);
      g_autoptr(GDBusObjectManager) manager = NULL;
      g_autoptr(GSubprocess) second_ssh = NULL;
      g_autoptr(GDBusConnection) second = NULL;

      g_assert_no_error (error);
      manager = hangar_dbus_object_manager_client_new_sync (
        bus, G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_DO_NOT_AUTO_START, ENGINE_BUS_NAME,
        ENGINE_OBJECT_PATH, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (count_machines (manager), ==, MACHINES + 1);
      add (rows[0].local, now_ms () - start);
      start = now_ms ();
      get_managed_objects (bus, ENGINE_BUS_NAME);
      add (rows[1].local, now_ms () - start);
      g_clear_object (&manager);

      start = now_ms ();
      second = hangar_test_sshd_connect (sshd, &second_ssh);
      manager = hangar_dbus_object_manager_client_new_sync (
        second, G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_NONE, NULL, ENGINE_OBJECT_PATH, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (count_machines (manager), ==, MACHINES + 1);
      add (rows[0].remote, now_ms () - start);
      start = now_ms ();
      get_managed_objects (second, NULL);
      add (rows[1].remote, now_ms () - start);
      g_clear_object (&manager);
      g_dbus_connection_close_sync (second, NULL, NULL);
      g_subprocess_wait (second_ssh, NULL, NULL);
      g_clear_object (&second);
      g_clear_object (&second_ssh);

      /* Through the master (made by the first run, not counted). */
      if (run == 0)
        {
          g_autoptr(GDBusConnection) warm = connect_ssh (sshd, TRUE, &second_ssh);

          g_dbus_connection_close_sync (warm, NULL, NULL);
          g_subprocess_wait (second_ssh, NULL, NULL);
          g_clear_object (&second_ssh);
        }
      start = now_ms ();
      second = connect_ssh (sshd, TRUE, &second_ssh);
      manager = hangar_dbus_object_manager_client_new_sync (
        second, G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_NONE, NULL, ENGINE_OBJECT_PATH, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (count_machines (manager), ==, MACHINES + 1);
      add (rows[0].shared, now_ms () - start);
      start = now_ms ();
      get_managed_objects (second, NULL);
      add (rows[1].shared, now_ms () - start);
      g_clear_object (&manager);
      g_dbus_connection_close_sync (second, NULL, NULL);
      g_subprocess_wait (second_ssh, NULL, NULL);

      start = now_ms ();
      run_ctl (local_env, "list", "--all", NULL);
      add (rows[2].local, now_ms () - start);
      start = now_ms ();
      run_ctl (remote_env, "--connect", sshd->url, "list", "--all", NULL);
      add (rows[2].remote, now_ms () - start);
    }

  /* 2. First console bytes of a running guest. */
  hangar_test_start_and_wait_ready (&local, local_screen);
  hangar_dbus_machine1_call_start_sync (remote_screen, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (remote_screen, "running", 10);
  {
    g_autofree char *log = hangar_test_sshd_remote_serial_log (
      sshd, hangar_dbus_machine1_get_uuid (remote_screen));
    gint64 deadline = g_get_monotonic_time () + HANGAR_TEST_BOOT_TIMEOUT * G_USEC_PER_SEC;
    g_autofree char *text = NULL;

    while (!(g_file_get_contents (log, &text, NULL, NULL) && strstr (text, HANGAR_TEST_READY)))
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_clear_pointer (&text, g_free);
        g_usleep (50000);
      }
  }
  for (guint run = 0; run < n; run++)
    {
      g_autofree char *command = g_strdup_printf ("hangar-engine --console %s vnc",
                                                  hangar_dbus_machine1_get_uuid (remote_screen));
      double start, banner, update;
      int fd;

      start = now_ms ();
      fd = hangar_test_open_console (local_screen, "vnc");
      rfb_first_bytes (fd, start, &banner, &update);
      close (fd);
      add (rows[3].local, banner);
      add (rows[4].local, update);

      for (guint shared = 0; shared < 2; shared++)
        {
          g_autoptr(GPtrArray) bridge_argv = ssh_argv (sshd, command, shared);
          g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (0);
          g_autoptr(GSubprocess) bridge = NULL;
          int pair[2];

          g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), ==, 0);
          g_subprocess_launcher_take_stdin_fd (launcher, dup (pair[1]));
          g_subprocess_launcher_take_stdout_fd (launcher, pair[1]);
          start = now_ms ();
          bridge = g_subprocess_launcher_spawnv (launcher,
                                                 (const char * const *) bridge_argv->pdata,
                                                 &error);
          g_assert_no_error (error);
          rfb_first_bytes (pair[0], start, &banner, &update);
          close (pair[0]);
          g_subprocess_wait (bridge, NULL, NULL);
          add (shared ? rows[3].shared : rows[3].remote, banner);
          add (shared ? rows[4].shared : rows[4].remote, update);
        }
    }

  g_print ("\nRemote engine over SSH (loopback) against the local engine; ms, median "
           "[min-max] of %u\n", n);
  g_print ("%-42s %24s %27s %7s %24s %7s\n", "", "local", "new ssh each time", "ratio",
           "one ssh master", "ratio");
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    print_row (&rows[i]);

  {
    /* The master connection ends here, not with the test's stderr open. */
    g_autofree char *option = g_strdup_printf ("-oControlPath=%s", control_path);
    const char *exit_argv[] = { "ssh", "-F", sshd->ssh_config, option, "-O", "exit",
                                sshd->destination, NULL };

    g_spawn_sync (NULL, (char **) exit_argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                  G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  hangar_dbus_machine1_call_force_off_sync (remote_screen, NULL, NULL);
  hangar_dbus_machine1_call_force_off_sync (local_screen, NULL, NULL);
  g_dbus_connection_close_sync (remote, NULL, NULL);
  g_subprocess_wait (ssh, NULL, NULL);
  g_clear_object (&remote_screen);
  g_clear_object (&local_screen);
  g_clear_object (&remote_manager);
  hangar_test_engine_teardown (&local);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_array_unref (rows[i].local);
      g_array_unref (rows[i].remote);
      g_array_unref (rows[i].shared);
    }
  g_free (control_path);
  return 0;
}
