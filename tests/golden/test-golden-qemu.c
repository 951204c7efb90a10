/* test-golden-qemu.c: QEMU itself accepts the command line of every golden case
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * For each case in cases/, every file the definition names (disk and CD-ROM images,
 * kernel, initrd, serial logs) moves to a scratch folder on a real disk, keeping its
 * base name, so the hostile names with commas, quotes and spaces are real files.
 * Disk images are made with qemu-img. The kernel and initrd are the tiny guest's
 * when HANGAR_TEST_GUEST_DIR holds them, else a stub bzImage header QEMU loads
 * as well. The argv is built with a real runtime folder and a listening monitor
 * socket passed as fd 3, `-S` is appended so no guest code runs, and QEMU must
 * then greet on QMP, report the name, kernel, command line and disk files exactly as
 * the definition gives them, and exit 0 on `quit`.
 *
 * The accelerator is always TCG here: KVM guests hang on these machines (NOTES.md)
 * and CI runners may have no /dev/kvm. The golden argv of the kvm cases differ only
 * in -accel and -cpu host.
 */
#define G_LOG_DOMAIN "hangar-golden"

#include "config.h"

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "golden-common.h"
#include "hangar-test-loop.h"

#define QEMU_TIMEOUT_SECONDS 20

typedef struct
{
  GoldenCase *golden;
  char       *scratch;     /* the case's files, on a real disk; removed at the end */
  char       *runtime_dir; /* the machine's runtime folder, in the temporary folder */
  const char *qemu;
  guint       counter;
  GPtrArray  *loops;       /* loop devices standing in for host CD/DVD drives */
} Run;

/* Removes a folder and everything below it (no symbolic link is followed). */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
run_clear (Run *run)
{
  gboolean keep = g_getenv ("HANGAR_GOLDEN_KEEP") != NULL;

  if (keep)
    g_test_message ("kept %s and %s", run->scratch, run->runtime_dir);
  for (guint i = 0; run->loops != NULL && i < run->loops->len; i++)
    hangar_test_loop_detach (g_ptr_array_index (run->loops, i));
  g_clear_pointer (&run->loops, g_ptr_array_unref);
  if (run->scratch != NULL && !keep)
    remove_tree (run->scratch);
  if (run->runtime_dir != NULL && !keep)
    remove_tree (run->runtime_dir);
  g_clear_pointer (&run->scratch, g_free);
  g_clear_pointer (&run->runtime_dir, g_free);
  g_clear_pointer (&run->golden, golden_case_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* A folder of its own for each file, so that base names never collide. */
static char *
scratch_path (Run        *run,
              const char *original)
{
  g_autofree char *base = g_path_get_basename (original);
  g_autofree char *number = g_strdup_printf ("%u", run->counter++);
  g_autofree char *dir = g_build_filename (run->scratch, number, NULL);

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  return g_build_filename (dir, base, NULL);
}

static void
run_program (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s", argv[0], err);
}

/* The setup header of a bzImage (boot protocol 2.15) and nothing else: QEMU loads it
 * like a kernel, and -S keeps it from ever running. */
static void
write_stub_kernel (const char *path)
{
  g_autofree guint8 *image = g_malloc0 (16384);
  g_autoptr(GError) error = NULL;

  image[0x1f1] = 1;                          /* setup_sects */
  image[0x1fe] = 0x55, image[0x1ff] = 0xaa;  /* boot flag */
  memcpy (image + 0x202, "HdrS", 4);
  image[0x206] = 0x0f, image[0x207] = 0x02;  /* version 2.15 */
  image[0x211] = 0x01;                       /* LOADED_HIGH */
  image[0x22c] = 0xff, image[0x22d] = 0xff,  /* initrd_addr_max 0x7fffffff */
  image[0x22e] = 0xff, image[0x22f] = 0x7f;
  image[0x238] = 0xff, image[0x239] = 0x0f;  /* cmdline_size 4095 */
  g_file_set_contents (path, (const char *) image, 16384, &error);
  g_assert_no_error (error);
}

static void
provide_boot_file (const char *path,
                   const char *guest_file)
{
  const char *guest_dir = g_getenv ("HANGAR_TEST_GUEST_DIR");
  g_autofree char *guest_path = guest_dir ? g_build_filename (guest_dir, guest_file, NULL) : NULL;
  g_autoptr(GError) error = NULL;

  if (guest_path != NULL && g_file_test (guest_path, G_FILE_TEST_IS_REGULAR))
    g_assert_cmpint (symlink (guest_path, path), ==, 0);
  else if (g_str_equal (guest_file, "vmlinuz"))
    write_stub_kernel (path);
  else
    {
      g_file_set_contents (path, "stub initrd\n", -1, &error);
      g_assert_no_error (error);
    }
}

static void
copy_nvram_template (const char *template,
                     const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (template ? template : HANGAR_OVMF_VARS, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static xmlXPathObject *
xpath (xmlDoc     *doc,
       const char *expression)
{
  xmlXPathContext *context = xmlXPathNewContext (doc);
  xmlXPathObject *result = xmlXPathEvalExpression ((const xmlChar *) expression, context);

  xmlXPathFreeContext (context);
  g_assert_nonnull (result);
  return result;
}

/* A 64 MiB raw image, as qemu-img makes it. */
static void
make_image (const char *path,
            const char *format)
{
  const char *argv[] = { "qemu-img", "create", "-q", "-f", format ? format : "raw", path, "64M",
                         NULL };

  argv[0] = g_getenv ("HANGAR_QEMU_IMG");
  run_program (argv);
}

/* Host CD/DVD drives (type='block'): a loop device over a scratch image stands in for each.
 * Returns FALSE, with @error saying why, where no loop device can be made. */
static gboolean
localize_drives (Run     *run,
                 xmlDoc  *doc,
                 GError **error)
{
  xmlXPathObject *found = xpath (doc, "/domain/devices/disk[@type='block']/source[@dev]");
  gboolean ok = TRUE;

  for (int i = 0; ok && found->nodesetval && i < found->nodesetval->nodeNr; i++)
    {
      xmlNode *source = found->nodesetval->nodeTab[i];
      xmlChar *dev = xmlGetProp (source, (const xmlChar *) "dev");
      g_autofree char *path = scratch_path (run, (const char *) dev);
      g_autofree char *loop = NULL;

      make_image (path, "raw");
      loop = hangar_test_loop_attach (path, error);
      ok = loop != NULL;
      if (ok)
        {
          xmlSetProp (source, (const xmlChar *) "dev", (const xmlChar *) loop);
          if (run->loops == NULL)
            run->loops = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (run->loops, g_steal_pointer (&loop));
        }
      xmlFree (dev);
    }
  xmlXPathFreeObject (found);
  return ok;
}

/* Moves every file of the definition into the scratch folder and makes it. Returns NULL,
 * with @error set, when a host drive cannot be stood in for here. */
static char *
localize_definition (Run     *run,
                     GError **error)
{
  xmlDoc *doc = xmlReadMemory (run->golden->xml, run->golden->xml_length, "case.xml", NULL,
                               XML_PARSE_NONET);
  xmlXPathObject *found;
  xmlChar *buffer = NULL;
  char *text;
  int size;

  g_assert_nonnull (doc);

  found = xpath (doc, "/domain/devices/disk/source[@file]");
  for (int i = 0; found->nodesetval && i < found->nodesetval->nodeNr; i++)
    {
      xmlNode *source = found->nodesetval->nodeTab[i];
      xmlNode *disk = source->parent;
      xmlChar *file = xmlGetProp (source, (const xmlChar *) "file");
      g_autofree char *path = scratch_path (run, (const char *) file);
      g_autofree char *format = NULL;

      for (xmlNode *n = disk->children; n != NULL; n = n->next)
        if (n->type == XML_ELEMENT_NODE && g_str_equal ((const char *) n->name, "driver"))
          {
            xmlChar *type = xmlGetProp (n, (const xmlChar *) "type");
            format = g_strdup ((const char *) type);
            xmlFree (type);
          }
      make_image (path, format);
      xmlSetProp (source, (const xmlChar *) "file", (const xmlChar *) path);
      xmlFree (file);
    }
  xmlXPathFreeObject (found);
  if (!localize_drives (run, doc, error))
    {
      xmlFreeDoc (doc);
      return NULL;
    }

  found = xpath (doc, "/domain/os/kernel | /domain/os/initrd");
  for (int i = 0; found->nodesetval && i < found->nodesetval->nodeNr; i++)
    {
      xmlNode *node = found->nodesetval->nodeTab[i];
      xmlChar *file = xmlNodeGetContent (node);
      g_autofree char *path = scratch_path (run, g_strstrip ((char *) file));

      provide_boot_file (path, g_str_equal ((const char *) node->name, "kernel") ?
                               "vmlinuz" : "initramfs.img");
      xmlNodeSetContent (node, NULL);
      xmlNodeAddContent (node, (const xmlChar *) path);
      xmlFree (file);
    }
  xmlXPathFreeObject (found);

  /* A UEFI variable store: a fresh copy of its template, as the engine makes. */
  found = xpath (doc, "/domain/os/nvram");
  for (int i = 0; found->nodesetval && i < found->nodesetval->nodeNr; i++)
    {
      xmlNode *node = found->nodesetval->nodeTab[i];
      xmlChar *file = xmlNodeGetContent (node);
      xmlChar *template = xmlGetProp (node, (const xmlChar *) "template");
      g_autofree char *path = scratch_path (run, g_strstrip ((char *) file));

      copy_nvram_template ((const char *) template, path);
      xmlNodeSetContent (node, NULL);
      xmlNodeAddContent (node, (const xmlChar *) path);
      xmlFree (template);
      xmlFree (file);
    }
  xmlXPathFreeObject (found);

  found = xpath (doc, "/domain/devices/serial[@type='file']/source[@path]");
  for (int i = 0; found->nodesetval && i < found->nodesetval->nodeNr; i++)
    {
      xmlNode *source = found->nodesetval->nodeTab[i];
      xmlChar *file = xmlGetProp (source, (const xmlChar *) "path");
      g_autofree char *path = scratch_path (run, (const char *) file);

      xmlSetProp (source, (const xmlChar *) "path", (const xmlChar *) path);
      xmlFree (file);
    }
  xmlXPathFreeObject (found);

  xmlDocDumpMemory (doc, &buffer, &size);
  text = g_strndup ((const char *) buffer, size);
  xmlFree (buffer);
  xmlFreeDoc (doc);
  return text;
}

/* ---- QMP, synchronously and with a deadline ------------------------------------------ */

static int
listen_on (const char *path)
{
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpuint (strlen (path), <, sizeof address.sun_path);
  strcpy (address.sun_path, path);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (listen (fd, 4), ==, 0);
  return fd;
}

/* Reads one QMP message that is not an event; NULL at the end of the stream. */
static JsonObject *
qmp_read (GDataInputStream  *in,
          GError           **error)
{
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, error);
      g_autoptr(JsonNode) node = NULL;

      if (line == NULL)
        return NULL;
      node = json_from_string (line, error);
      if (node == NULL)
        return NULL;
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      if (!json_object_has_member (json_node_get_object (node), "event"))
        return json_object_ref (json_node_get_object (node));
    }
}

/* Runs a command, consuming @arguments; returns its "return" member, or NULL with
 * @error set. */
static JsonNode *
qmp_execute (GDataInputStream  *in,
             GOutputStream     *out,
             const char        *command,
             JsonObject        *arguments,
             GError           **error)
{
  g_autoptr(JsonObject) owned_arguments = arguments;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "execute");
  json_builder_add_string_value (builder, command);
  if (arguments != NULL)
    {
      json_builder_set_member_name (builder, "arguments");
      json_builder_add_value (builder, json_node_init_object (json_node_alloc (), arguments));
    }
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  text = json_to_string (request, FALSE);
  line = g_strconcat (text, "\n", NULL);
  if (!g_output_stream_write_all (out, line, strlen (line), NULL, NULL, error))
    return NULL;
  reply = qmp_read (in, error);
  if (reply == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "QEMU closed the monitor");
      return NULL;
    }
  if (!json_object_has_member (reply, "return"))
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), reply);
      g_autofree char *reply_text = json_to_string (node, FALSE);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", command, reply_text);
      return NULL;
    }
  return json_node_copy (json_object_get_member (reply, "return"));
}

static JsonObject *
qom_get_args (const char *path,
              const char *property)
{
  JsonObject *arguments = json_object_new ();

  json_object_set_string_member (arguments, "path", path);
  json_object_set_string_member (arguments, "property", property);
  return arguments;
}

static void
expect_string (GDataInputStream *in,
               GOutputStream    *out,
               const char       *command,
               JsonObject       *arguments,
               const char       *member,
               const char       *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = qmp_execute (in, out, command, arguments, &error);
  const char *value;

  g_assert_no_error (error);
  if (member != NULL)
    value = json_object_get_string_member (json_node_get_object (result), member);
  else
    value = json_node_get_string (result);
  g_assert_cmpstr (value, ==, expected);
}

/* Everything the definition names arrived in QEMU as one string, unsplit. */
static void
check_machine (Run                   *run,
               const HangarDomainDef *def,
               GDataInputStream      *in,
               GOutputStream         *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) nodes = NULL;
  guint checked = 0;

  expect_string (in, out, "query-name", NULL, "name", def->name);
  expect_string (in, out, "query-uuid", NULL, "UUID", def->uuid);
  if (def->kernel != NULL)
    {
      expect_string (in, out, "qom-get", qom_get_args ("/machine", "kernel"), NULL, def->kernel);
      expect_string (in, out, "qom-get", qom_get_args ("/machine", "initrd"), NULL,
                     def->initrd ? def->initrd : "");
      expect_string (in, out, "qom-get", qom_get_args ("/machine", "append"), NULL,
                     def->cmdline ? def->cmdline : "");
    }

  nodes = qmp_execute (in, out, "query-named-block-nodes", NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < def->disks->len; i++)
    {
      HangarDiskDef *disk = g_ptr_array_index (def->disks, i);
      g_autofree char *node_name = g_strdup_printf ("hangar-file%u", i);
      JsonArray *list = json_node_get_array (nodes);

      if (disk->source == NULL)
        continue;
      for (guint k = 0; k < json_array_get_length (list); k++)
        {
          JsonObject *node = json_array_get_object_element (list, k);

          if (g_strcmp0 (json_object_get_string_member (node, "node-name"), node_name) != 0)
            continue;
          g_assert_cmpstr (json_object_get_string_member (node, "file"), ==, disk->source);
          g_assert_cmpint (json_object_get_boolean_member (node, "ro"), ==, disk->readonly);
          checked++;
        }
    }
  for (guint i = 0; i < def->disks->len; i++)
    checked -= ((HangarDiskDef *) g_ptr_array_index (def->disks, i))->source != NULL;
  g_assert_cmpuint (checked, ==, 0);

  /* QEMU made the serial logs where the definition says, and its sockets in the
   * runtime folder. */
  for (guint i = 0; i < def->serials->len; i++)
    {
      HangarSerialDef *serial = g_ptr_array_index (def->serials, i);
      g_autofree char *socket_name = g_strdup_printf (HANGAR_RUNTIME_SERIAL_SOCKET, serial->port);
      g_autofree char *socket_path = g_build_filename (run->runtime_dir, socket_name, NULL);
      g_autofree char *log_name = g_strdup_printf (HANGAR_RUNTIME_SERIAL_LOG, serial->port);
      g_autofree char *log_path = serial->log_path ? g_strdup (serial->log_path) :
                                  g_build_filename (run->runtime_dir, log_name, NULL);

      g_assert_true (g_file_test (socket_path, G_FILE_TEST_EXISTS));
      g_assert_true (g_file_test (log_path, G_FILE_TEST_IS_REGULAR));
    }
  if (def->has_vnc)
    {
      g_autofree char *path = g_build_filename (run->runtime_dir, HANGAR_RUNTIME_VNC_SOCKET, NULL);
      g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
    }
  if (def->has_spice)
    {
      g_autofree char *path = g_build_filename (run->runtime_dir, HANGAR_RUNTIME_SPICE_SOCKET,
                                                NULL);
      g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
    }
}

/* ---- the test -------------------------------------------------------------------------- */

static void
on_communicated (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, NULL, &err, &error);
  g_assert_no_error (error);
  g_task_return_pointer (task, g_steal_pointer (&err), g_free);
  g_object_unref (task);
}

static gboolean
on_deadline (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits for QEMU to exit and returns its stderr; kills it after the deadline. */
static char *
wait_for_qemu (GSubprocess *process,
               gboolean    *out_timed_out)
{
  GTask *task = g_task_new (NULL, NULL, NULL, NULL);
  g_autoptr(GTask) owner = g_object_ref (task);
  gboolean expired = FALSE;
  guint deadline = g_timeout_add_seconds (QEMU_TIMEOUT_SECONDS, on_deadline, &expired);

  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, task);
  while (!g_task_get_completed (owner))
    {
      if (expired)
        {
          g_subprocess_force_exit (process);
          expired = FALSE;
          *out_timed_out = TRUE;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  if (!*out_timed_out)
    g_source_remove (deadline);
  return g_task_propagate_pointer (owner, NULL);
}

static void
child_setup (gpointer user_data)
{
  /* A failed assertion ends this process: QEMU, paused by -S, must not outlive it. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
test_qemu (gconstpointer data)
{
  g_auto(Run) run = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HangarDomain) domain = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(JsonObject) greeting = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GPtrArray) argv = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *monitor_path = NULL;
  g_autofree char *template = NULL;
  g_autofree char *err = NULL;
  g_autofree char *nvram = NULL;
  g_auto(GStrv) built = NULL;
  GOutputStream *out;
  gboolean timed_out = FALSE;
  HangarQemuContext ctx = { .accel = "tcg", .monitor_fd = GOLDEN_MONITOR_FD };
  int monitor_fd;

  run.golden = golden_case_load ("cases", data);
  run.qemu = g_getenv ("HANGAR_QEMU");
  if (run.qemu == NULL || *run.qemu == '\0' || g_getenv ("HANGAR_QEMU_IMG") == NULL ||
      *g_getenv ("HANGAR_QEMU_IMG") == '\0')
    {
      g_test_fail_printf ("qemu-system-x86_64 or qemu-img was not found when meson "
                          "configured the build; install qemu-system-x86 and qemu-utils");
      return;
    }

  /* Images on a real disk (O_DIRECT); sockets in the short temporary folder, since a
   * socket path has at most 107 bytes and build folders can be deep. */
  template = g_build_filename (golden_tmp_dir (), "qemu-XXXXXX", NULL);
  run.scratch = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (run.scratch);
  run.runtime_dir = g_dir_make_tmp ("hangar-golden-XXXXXX", &error);
  g_assert_no_error (error);

  xml = localize_definition (&run, &error);
  if (xml == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("no loop device to stand in for the host "
                                                 "CD/DVD drive: %s", error->message);

      g_test_skip (reason);
      return;
    }
  domain = hangar_domain_parse (xml, -1, &error);
  g_assert_no_error (error);
  hangar_domain_check_files (domain, &error);
  g_assert_no_error (error);

  ctx.qemu_binary = run.qemu;
  ctx.runtime_dir = run.runtime_dir;
  if (hangar_domain_get_def (domain)->loader != NULL &&
      hangar_domain_get_def (domain)->nvram == NULL)
    {
      nvram = g_build_filename (run.scratch, "VARS.fd", NULL);
      copy_nvram_template (hangar_domain_get_def (domain)->nvram_template, nvram);
      ctx.nvram_path = nvram;
    }
  built = hangar_qemu_build_argv (hangar_domain_get_def (domain), &ctx, &error);
  g_assert_no_error (error);
  argv = g_ptr_array_new ();
  for (guint i = 0; built[i] != NULL; i++)
    g_ptr_array_add (argv, built[i]);
  g_ptr_array_add (argv, "-S");
  g_ptr_array_add (argv, NULL);

  monitor_path = g_build_filename (run.runtime_dir, HANGAR_RUNTIME_QMP_SOCKET, NULL);
  monitor_fd = listen_on (monitor_path);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_take_fd (launcher, monitor_fd, GOLDEN_MONITOR_FD);
  g_subprocess_launcher_set_cwd (launcher, run.runtime_dir);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  /* Our copy of the listening socket goes: if QEMU dies, the monitor ends with it. */
  g_clear_object (&launcher);

  address = g_unix_socket_address_new (monitor_path);
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, 0, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (socket, QEMU_TIMEOUT_SECONDS);
  g_socket_connect (socket, address, NULL, &error);
  g_assert_no_error (error);
  connection = g_socket_connection_factory_create_connection (socket);
  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  greeting = qmp_read (in, &error);
  if (greeting != NULL)
    {
      g_assert_true (json_object_has_member (greeting, "QMP"));
      result = qmp_execute (in, out, "qmp_capabilities", NULL, &error);
    }
  if (result != NULL)
    {
      check_machine (&run, hangar_domain_get_def (domain), in, out);
      g_clear_pointer (&result, json_node_unref);
      result = qmp_execute (in, out, "quit", NULL, &error);
      /* QEMU may close the monitor before its reply to quit arrives. */
      g_clear_error (&error);
    }

  err = wait_for_qemu (process, &timed_out);
  if (timed_out)
    {
      golden_log_lines ("qemu: ", err);
      g_test_fail_printf ("%s: QEMU did not exit within %d s", run.golden->name,
                          QEMU_TIMEOUT_SECONDS);
      return;
    }
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    {
      g_autofree char *command = g_strjoinv ("' '", (char **) argv->pdata);

      g_test_message ("argv: '%s'", command);
      golden_log_lines ("qemu: ", err);
      g_test_fail_printf ("%s: QEMU refused the command line (%s %d): %s",
                          run.golden->name,
                          g_subprocess_get_if_exited (process) ? "exit status" : "signal",
                          g_subprocess_get_if_exited (process) ?
                          g_subprocess_get_exit_status (process) :
                          g_subprocess_get_term_sig (process),
                          err != NULL && *err != '\0' ? err :
                          error != NULL ? error->message : "no message");
      return;
    }
  g_assert_no_error (error);
  g_assert_nonnull (greeting);
  /* Warnings (a CPU feature TCG lacks) are worth seeing, not failing on. */
  golden_log_lines ("qemu: ", err);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  golden_add_case_tests ("cases", "/hangar/golden/qemu", test_qemu);

  return g_test_run ();
}
