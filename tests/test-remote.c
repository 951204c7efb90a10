/* test-remote.c: the engine of another host, reached over a real sshd
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each test starts its own sshd on 127.0.0.1 (hangar-test-sshd.h); the engine at the
 * other end is the remote user's, with folders of its own.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangar-test-engine.h"
#include "hangar-test-sshd.h"

typedef struct
{
  HangarTestSshd *sshd;
} Fixture;

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  hangar_error_quark ();
  fixture->sshd = hangar_test_sshd_new ();
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  g_clear_pointer (&fixture->sshd, hangar_test_sshd_free);
}

/* ssh … hangar-engine --stdio reaches the remote user's engine, with its own folders. */
static void
test_ssh_stdio (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSubprocess) ssh = NULL;
  g_autoptr(GDBusConnection) connection = hangar_test_sshd_connect (fixture->sshd, &ssh);
  g_autoptr(GDBusObjectManager) manager = NULL;
  g_autoptr(GDBusObject) host_object = NULL;
  g_autoptr(HangarDBusHost1) host = NULL;
  g_autofree char *xml = hangar_test_guest_xml ("remote-tiny", NULL);
  g_autoptr(HangarDBusMachine1) machine = hangar_test_sshd_define (fixture->sshd, connection,
                                                                   &manager, xml);
  g_autofree char *definition = NULL;
  g_autoptr(GError) error = NULL;

  host_object = g_dbus_object_manager_get_object (manager, ENGINE_OBJECT_PATH "/host");
  host = hangar_dbus_object_get_host1 (HANGAR_DBUS_OBJECT (host_object));
  g_assert_cmpstr (hangar_dbus_host1_get_engine_version (host), ==, PACKAGE_VERSION);
  g_assert_cmpstr (hangar_dbus_machine1_get_state (machine), ==, "shut-off");

  /* The definition is in the remote user's folder. */
  definition = g_strdup_printf ("%s/hangar/machines/%s.xml", fixture->sshd->remote_config_dir,
                                hangar_dbus_machine1_get_uuid (machine));
  g_assert_true (g_file_test (definition, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (hangar_test_sshd_remote_engine_pid (fixture->sshd), >, 0);

  /* Closing the connection ends ssh, and the remote engine with it. */
  g_dbus_connection_close_sync (connection, NULL, NULL);
  g_subprocess_wait (ssh, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (ssh));
  for (guint i = 0; i < 500 && hangar_test_sshd_remote_engine_pid (fixture->sshd) != 0; i++)
    g_usleep (10000);
  g_assert_cmpint (hangar_test_sshd_remote_engine_pid (fixture->sshd), ==, 0);
}

/* Runs `ssh … @remote_command` with its standard input and output on a socket; returns
 * the process, the test's end of the socket in @out_fd. Its stderr is a pipe. */
static GSubprocess *
spawn_ssh (HangarTestSshd *sshd,
           const char     *remote_command,
           int            *out_fd)
{
  g_autoptr(GPtrArray) argv = hangar_test_sshd_ssh_argv (sshd, remote_command);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GError) error = NULL;
  GSubprocess *ssh;
  int pair[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), ==, 0);
  g_subprocess_launcher_take_stdin_fd (launcher, dup (pair[1]));
  g_subprocess_launcher_take_stdout_fd (launcher, pair[1]);
  ssh = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  *out_fd = pair[0];
  return ssh;
}

/* Runs `ssh … @remote_command` to its end; returns its exit status and its stderr. */
static int
run_ssh (HangarTestSshd  *sshd,
         const char      *remote_command,
         char           **err)
{
  int fd;
  g_autoptr(GSubprocess) ssh = spawn_ssh (sshd, remote_command, &fd);
  g_autoptr(GError) error = NULL;

  close (fd);
  g_subprocess_communicate_utf8 (ssh, NULL, NULL, NULL, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (ssh));
  return g_subprocess_get_exit_status (ssh);
}

static char *
read_some (int    fd,
           gsize  wanted)
{
  char *buffer = g_malloc0 (wanted + 1);
  gsize got = 0;

  while (got < wanted)
    {
      ssize_t n = read (fd, buffer + got, wanted - got);
      if (n <= 0)
        break;
      got += n;
    }
  return buffer;
}

/* Writes @input, then reads until @expected shows; writes again every second. */
static gboolean
wait_for_output (int         fd,
                 const char *input,
                 const char *expected,
                 guint       timeout_s)
{
  g_autoptr(GString) seen = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  gint64 next_write = 0;

  while (g_get_monotonic_time () < deadline)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      char buffer[512];

      if (g_get_monotonic_time () >= next_write)
        {
          g_assert_cmpint (write (fd, input, strlen (input)), ==, (gssize) strlen (input));
          next_write = g_get_monotonic_time () + G_USEC_PER_SEC;
        }
      if (poll (&pfd, 1, 100) == 1)
        {
          ssize_t n = read (fd, buffer, sizeof buffer);

          if (n <= 0)
            g_error ("The console ended (%s) after: %s", n == 0 ? "end of stream" :
                     g_strerror (errno), seen->str);
          g_string_append_len (seen, buffer, n);
          if (strstr (seen->str, expected) != NULL)
            return TRUE;
        }
    }
  g_test_message ("console output: %s", seen->str);
  return FALSE;
}

/* ssh … hangar-engine --console UUID vnc|serial: the console's byte stream over SSH,
 * next to the --stdio connection the client keeps open; errors said on stderr. */
static void
test_console (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GSubprocess) ssh = NULL;
  g_autoptr(GDBusConnection) connection = hangar_test_sshd_connect (fixture->sshd, &ssh);
  g_autofree char *xml = hangar_test_guest_xml ("remote-console", "<graphics type='vnc'/>");
  g_autoptr(HangarDBusMachine1) machine = hangar_test_sshd_define (fixture->sshd, connection,
                                                                   NULL, xml);
  const char *uuid = hangar_dbus_machine1_get_uuid (machine);
  g_autofree char *vnc_command = g_strdup_printf ("hangar-engine --console %s vnc", uuid);
  g_autofree char *serial_command = g_strdup_printf ("hangar-engine --console %s serial", uuid);
  g_autofree char *spice_command = g_strdup_printf ("hangar-engine --console %s spice", uuid);
  g_autofree char *bad_kind = g_strdup_printf ("hangar-engine --console %s rdp", uuid);
  g_autoptr(GError) error = NULL;
  char *err = NULL;
  int fd;

  /* Not running yet: said plainly. */
  g_assert_cmpint (run_ssh (fixture->sshd, vnc_command, &err), ==, 1);
  g_assert_nonnull (strstr (err, "not running"));
  g_clear_pointer (&err, g_free);

  hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "running", 10);

  {
    g_autoptr(GSubprocess) bridge = spawn_ssh (fixture->sshd, vnc_command, &fd);
    g_autofree char *banner = read_some (fd, 12);

    g_assert_cmpstr (banner, ==, "RFB 003.008\n");
    /* The client going away ends the bridge. */
    close (fd);
    g_subprocess_wait (bridge, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_get_successful (bridge));
  }

  {
    g_autoptr(GSubprocess) bridge = spawn_ssh (fixture->sshd, serial_command, &fd);

    /* The guest's shell on its serial port answers through the bridge. */
    g_assert_true (wait_for_output (fd, "\n", "# ", HANGAR_TEST_BOOT_TIMEOUT));
    g_assert_true (wait_for_output (fd, "echo remote-$((6*7))\n", "remote-42", 10));
    close (fd);
    g_subprocess_wait (bridge, NULL, &error);
    g_assert_no_error (error);
  }

  /* A console the machine does not have, a kind that does not exist, a machine that
   * does not exist: each refused with a message and a non-zero status. */
  g_assert_cmpint (run_ssh (fixture->sshd, spice_command, &err), ==, 1);
  g_assert_nonnull (strstr (err, "hangar-engine: "));
  g_test_message ("spice: %s", err);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_ssh (fixture->sshd, bad_kind, &err), ==, 2);
  g_assert_nonnull (strstr (err, "no console kind"));
  g_assert_nonnull (strstr (err, "rdp"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_ssh (fixture->sshd,
                            "hangar-engine --console 3c1d6cbc-0000-4000-8000-000000000000 vnc",
                            &err), ==, 1);
  g_assert_nonnull (strstr (err, "3c1d6cbc-0000-4000-8000-000000000000"));
  g_test_message ("unknown machine: %s", err);
  g_clear_pointer (&err, g_free);

  hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_close_sync (connection, NULL, NULL);
  g_subprocess_wait (ssh, NULL, NULL);

  /* No engine runs now: --console says so. */
  for (guint i = 0; i < 500 && hangar_test_sshd_remote_engine_pid (fixture->sshd) != 0; i++)
    g_usleep (10000);
  g_assert_cmpint (run_ssh (fixture->sshd, vnc_command, &err), ==, 1);
  g_assert_nonnull (strstr (err, "no engine runs"));
  g_clear_pointer (&err, g_free);
}

/* The SSH connection drops (ssh killed): the remote engine ends with its pipe, the
 * machine runs on, and a new connection finds it running. */
static void
test_dropped (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GSubprocess) ssh = NULL;
  g_autoptr(GDBusConnection) connection = hangar_test_sshd_connect (fixture->sshd, &ssh);
  g_autofree char *xml = hangar_test_guest_xml ("survivor", NULL);
  g_autoptr(HangarDBusMachine1) machine = hangar_test_sshd_define (fixture->sshd, connection,
                                                                   NULL, xml);
  g_autoptr(GSubprocess) ssh2 = NULL;
  g_autoptr(GDBusConnection) connection2 = NULL;
  g_autoptr(HangarDBusMachine1) again = NULL;
  g_autoptr(GDBusObjectManager) manager = NULL;
  g_autoptr(GDBusObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *object_path = NULL;
  GPid engine, qemu;

  hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "running", 10);
  qemu = hangar_dbus_machine1_get_pid (machine);
  engine = hangar_test_sshd_remote_engine_pid (fixture->sshd);
  g_assert_cmpint (engine, >, 0);
  object_path = g_strdup (g_dbus_proxy_get_object_path (G_DBUS_PROXY (machine)));

  g_subprocess_force_exit (ssh);
  g_subprocess_wait (ssh, NULL, NULL);
  for (guint i = 0; i < 1000 && hangar_test_pid_alive (engine); i++)
    g_usleep (10000);
  g_assert_false (hangar_test_pid_alive (engine));
  g_assert_true (hangar_test_pid_alive (qemu));

  connection2 = hangar_test_sshd_connect (fixture->sshd, &ssh2);
  manager = hangar_dbus_object_manager_client_new_sync (connection2,
                                                        G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_NONE,
                                                        NULL, ENGINE_OBJECT_PATH, NULL, &error);
  g_assert_no_error (error);
  object = g_dbus_object_manager_get_object (manager, object_path);
  g_assert_nonnull (object);
  again = hangar_dbus_object_get_machine1 (HANGAR_DBUS_OBJECT (object));
  hangar_test_wait_state (again, "running", 10);
  g_assert_cmpint (hangar_dbus_machine1_get_pid (again), ==, qemu);
  hangar_dbus_machine1_call_force_off_sync (again, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_close_sync (connection2, NULL, NULL);
  g_subprocess_wait (ssh2, NULL, NULL);
}

/* Runs hangarctl with @args (NULL-terminated) in @env; returns its exit status. */
static int
run_ctl (char              **env,
         char              **out,
         char              **err,
         const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) g_getenv ("HANGARCTL"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, env,
                (out == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : 0) |
                (err == NULL ? G_SPAWN_STDERR_TO_DEV_NULL : 0),
                NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

#define CTL(env, out, err, ...) run_ctl (env, out, err, (const char *[]) { __VA_ARGS__, NULL })

/* hangarctl --connect ssh://user@127.0.0.1:PORT: list, define, start, dumpxml, console,
 * destroy on the remote engine; then each failure said plainly. */
static void
test_hangarctl (Fixture       *fixture,
                gconstpointer  data)
{
  HangarTestSshd *sshd = fixture->sshd;
  g_auto(GStrv) env = hangar_test_sshd_client_environ (sshd);
  g_autofree char *xml = hangar_test_guest_xml ("far-away", NULL);
  g_autofree char *xml_path = g_build_filename (sshd->dir, "far-away.xml", NULL);
  g_autofree char *definition_dir = g_build_filename (sshd->remote_config_dir, "hangar",
                                                      "machines", NULL);
  g_autofree char *closed_url = g_strdup_printf ("ssh://%s@127.0.0.1:%u", sshd->user,
                                                 hangar_test_free_port ());
  char *out = NULL, *err = NULL;

  g_assert_true (g_file_set_contents (xml_path, xml, -1, NULL));
  g_assert_cmpint (CTL (env, &out, NULL, "--connect", sshd->url, "define", xml_path), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpuint (hangar_test_count_files (definition_dir), ==, 1);

  g_assert_cmpint (CTL (env, &out, NULL, "--connect", sshd->url, "list", "--all"), ==, 0);
  g_assert_nonnull (strstr (out, "far-away"));
  g_assert_nonnull (strstr (out, "shut off"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (CTL (env, &out, NULL, "--connect", sshd->url, "start", "far-away"), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (CTL (env, &out, NULL, "--connect", sshd->url, "list"), ==, 0);
  g_assert_nonnull (strstr (out, "running"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (CTL (env, &out, NULL, "--connect", sshd->url, "dumpxml", "far-away"), ==, 0);
  g_assert_nonnull (strstr (out, "<name>far-away</name>"));
  g_clear_pointer (&out, g_free);

  {
    /* The console verb goes through hangar-engine --console on the host. */
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
    g_autoptr(GSubprocess) console = NULL;
    g_autoptr(GError) error = NULL;
    int pair[2];

    g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), ==, 0);
    g_subprocess_launcher_set_environ (launcher, env);
    g_subprocess_launcher_take_stdin_fd (launcher, dup (pair[1]));
    g_subprocess_launcher_take_stdout_fd (launcher, pair[1]);
    console = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("HANGARCTL"), "--connect",
                                           sshd->url, "console", "far-away", "serial", NULL);
    g_assert_no_error (error);
    g_assert_true (wait_for_output (pair[0], "\n", "# ", HANGAR_TEST_BOOT_TIMEOUT));
    g_assert_true (wait_for_output (pair[0], "echo ctl-$((6*7))\n", "ctl-42", 10));
    close (pair[0]);
    g_subprocess_wait (console, NULL, &error);
    g_assert_no_error (error);
  }

  g_assert_cmpint (CTL (env, NULL, NULL, "--connect", sshd->url, "destroy", "far-away"), ==, 0);
  g_assert_cmpint (CTL (env, NULL, &err, "--connect", sshd->url, "destroy", "far-away"), ==, 1);
  g_assert_nonnull (strstr (err, "[InvalidState]"));
  g_clear_pointer (&err, g_free);

  /* A key the server does not know. */
  {
    g_auto(GStrv) nokey = g_environ_setenv (g_strdupv (env), "HANGAR_SSH_CONFIG",
                                            sshd->ssh_config_nokey, TRUE);

    g_assert_cmpint (CTL (nokey, NULL, &err, "--connect", sshd->url, "--identity",
                          sshd->wrong_identity, "list"), ==, 1);
    g_test_message ("wrong key: %s", err);
    g_assert_nonnull (strstr (err, "Authentication failed"));
    g_clear_pointer (&err, g_free);
  }

  /* Nothing listens on the port. */
  g_assert_cmpint (CTL (env, NULL, &err, "--connect", closed_url, "list"), ==, 1);
  g_test_message ("closed port: %s", err);
  g_assert_nonnull (strstr (err, "Cannot reach 127.0.0.1"));
  g_clear_pointer (&err, g_free);

  /* An engine older than this client needs. */
  {
    g_auto(GStrv) demanding = g_environ_setenv (g_strdupv (env), "HANGAR_REQUIRE_ENGINE_VERSION",
                                                "99.0", TRUE);

    g_assert_cmpint (CTL (demanding, NULL, &err, "--connect", sshd->url, "list"), ==, 1);
    g_test_message ("too old: %s", err);
    g_assert_nonnull (strstr (err, "hangar-engine on 127.0.0.1 is version " PACKAGE_VERSION
                                   "; this Hangar needs 99.0 or later."));
    g_clear_pointer (&err, g_free);
  }

  /* A host without hangar-engine. */
  hangar_test_sshd_set_remote_path (sshd, "/usr/bin:/bin");
  g_assert_cmpint (CTL (env, NULL, &err, "--connect", sshd->url, "list"), ==, 1);
  g_test_message ("not installed: %s", err);
  g_assert_nonnull (strstr (err, "hangar-engine is not installed on 127.0.0.1"));
  g_clear_pointer (&err, g_free);

  /* Not an address. */
  g_assert_cmpint (CTL (env, NULL, &err, "--connect", "ssh://-oProxyCommand=sh", "list"), ==, 2);
  g_clear_pointer (&err, g_free);
}

static guint
count_sockets (GPid pid)
{
  g_autofree char *dir_path = g_strdup_printf ("/proc/%d/fd", pid);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint count = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link = g_build_filename (dir_path, name, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);

      count += target != NULL && g_str_has_prefix (target, "socket:");
    }
  return count;
}

/* The engine goes away while hangarctl waits on it: "dropped", the machine runs on. */
static void
test_hangarctl_dropped (Fixture       *fixture,
                        gconstpointer  data)
{
  HangarTestSshd *sshd = fixture->sshd;
  g_auto(GStrv) env = hangar_test_sshd_client_environ (sshd);
  g_autoptr(GSubprocess) ssh = NULL;
  g_autoptr(GDBusConnection) connection = hangar_test_sshd_connect (sshd, &ssh);
  g_autofree char *acpi_xml = hangar_test_guest_xml ("stubborn", NULL);
  /* Without ACPI the guest never sees the power button: shutdown --wait waits. */
  g_autoptr(GString) xml = g_string_new (acpi_xml);
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) ctl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  GPid engine, qemu;

  g_string_replace (xml, "<acpi/>", "", 1);
  machine = hangar_test_sshd_define (sshd, connection, NULL, xml->str);
  hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
  g_assert_no_error (error);
  hangar_test_wait_state (machine, "running", 10);
  qemu = hangar_dbus_machine1_get_pid (machine);

  g_subprocess_launcher_set_environ (launcher, env);
  ctl = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("HANGARCTL"), "--connect",
                                     sshd->url, "shutdown", "stubborn", "--wait", NULL);
  g_assert_no_error (error);
  /* hangarctl's ssh session relays to the engine's socket: once the engine has one socket
   * more, hangarctl is connected; a moment later it waits for the state. */
  engine = hangar_test_sshd_remote_engine_pid (sshd);
  g_assert_cmpint (engine, >, 0);
  {
    guint before = count_sockets (engine);
    gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    while (count_sockets (engine) <= before)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (20000);
      }
    g_usleep (G_USEC_PER_SEC);
  }
  kill (engine, SIGKILL);

  g_subprocess_communicate_utf8 (ctl, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_test_message ("dropped: %s", err);
  g_assert_cmpint (g_subprocess_get_exit_status (ctl), ==, 1);
  g_assert_nonnull (strstr (err, "The connection to 127.0.0.1 dropped"));
  g_assert_true (hangar_test_pid_alive (qemu));
  g_subprocess_wait (ssh, NULL, NULL);
}

/* hangarctl console without --connect: the local engine's OpenConsole, relayed. */
static void
test_hangarctl_console_local (Fixture       *fixture,
                              gconstpointer  data)
{
  HangarTestEngine local = { 0 };
  g_autofree char *xml = hangar_test_guest_xml ("here", NULL);
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) console = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = NULL;
  int pair[2];

  hangar_test_engine_setup (&local);
  env = hangar_test_engine_environ (&local);
  machine = hangar_test_define (&local, xml);
  hangar_test_start_and_wait_ready (&local, machine);

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), ==, 0);
  g_subprocess_launcher_set_environ (launcher, env);
  g_subprocess_launcher_take_stdin_fd (launcher, dup (pair[1]));
  g_subprocess_launcher_take_stdout_fd (launcher, pair[1]);
  console = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("HANGARCTL"), "console",
                                         "here", NULL);
  g_assert_no_error (error);
  g_assert_true (wait_for_output (pair[0], "\n", "# ", 30));
  g_assert_true (wait_for_output (pair[0], "echo here-$((6*7))\n", "here-42", 10));
  close (pair[0]);
  g_subprocess_wait (console, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (console));

  g_clear_object (&machine);
  hangar_test_engine_teardown (&local);
}

/* Three SSH sessions of the user at once, no engine running yet: one becomes the
 * engine, the others relay to it; all see the same machine. */
static void
test_simultaneous (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) argv = hangar_test_sshd_ssh_argv (fixture->sshd,
                                                         "hangar-engine --stdio");
  GSubprocess *ssh[3];
  GDBusConnection *connections[3];
  g_autofree char *xml = hangar_test_guest_xml ("shared", NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (ssh); i++)
    {
      ssh[i] = g_subprocess_newv ((const char * const *) argv->pdata,
                                  G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                  &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (ssh); i++)
    {
      g_autoptr(GIOStream) stream = g_simple_io_stream_new (g_subprocess_get_stdout_pipe (ssh[i]),
                                                            g_subprocess_get_stdin_pipe (ssh[i]));

      connections[i] = g_dbus_connection_new_sync (stream, NULL,
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
                                                   NULL, NULL, &error);
      g_assert_no_error (error);
      g_dbus_connection_set_exit_on_close (connections[i], FALSE);
    }
  {
    g_autoptr(HangarDBusMachine1) machine = hangar_test_sshd_define (fixture->sshd,
                                                                     connections[0], NULL, xml);

    for (guint i = 1; i < G_N_ELEMENTS (ssh); i++)
      {
        g_autoptr(GVariant) reply = g_dbus_connection_call_sync (
          connections[i], NULL, ENGINE_OBJECT_PATH "/host", "io.github.hangarvm.Hangar.Host1",
          "LookupMachine", g_variant_new ("(s)", "shared"), G_VARIANT_TYPE ("(o)"),
          G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
        const char *path;

        g_assert_no_error (error);
        g_variant_get (reply, "(&o)", &path);
        g_assert_cmpstr (path, ==, g_dbus_proxy_get_object_path (G_DBUS_PROXY (machine)));
      }
  }
  for (guint i = 0; i < G_N_ELEMENTS (ssh); i++)
    {
      g_dbus_connection_close_sync (connections[i], NULL, NULL);
      g_subprocess_wait (ssh[i], NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_successful (ssh[i]));
      g_object_unref (connections[i]);
      g_object_unref (ssh[i]);
    }
  /* The last session gone, the engine it became ends too. */
  for (guint i = 0; i < 500 && hangar_test_sshd_remote_engine_pid (fixture->sshd) != 0; i++)
    g_usleep (10000);
  g_assert_cmpint (hangar_test_sshd_remote_engine_pid (fixture->sshd), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/hangar/remote/ssh-stdio", test_ssh_stdio);
  ADD ("/hangar/remote/console", test_console);
  ADD ("/hangar/remote/simultaneous", test_simultaneous);
  ADD ("/hangar/remote/dropped", test_dropped);
  ADD ("/hangar/remote/hangarctl", test_hangarctl);
  ADD ("/hangar/remote/hangarctl-dropped", test_hangarctl_dropped);
  ADD ("/hangar/remote/hangarctl-console-local", test_hangarctl_console_local);
#undef ADD

  return g_test_run ();
}
