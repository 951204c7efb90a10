/* hangar-host-impl.c: io.github.hangarvm.Hangar.Host1
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-error.h"
#include "hangar-host-impl.h"
#include "hangar-paths.h"
#include "hangar-store.h"

struct _HangarHostImpl
{
  HangarDBusHost1Skeleton parent_instance;

  HangarEngine *engine; /* owns us */
};

static void hangar_host_iface_init (HangarDBusHost1Iface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HangarHostImpl, hangar_host_impl, HANGAR_DBUS_TYPE_HOST1_SKELETON,
                               G_IMPLEMENT_INTERFACE (HANGAR_DBUS_TYPE_HOST1,
                                                      hangar_host_iface_init))

static gboolean
handle_define_machine (HangarDBusHost1       *host,
                       GDBusMethodInvocation *invocation,
                       const char            *xml)
{
  HangarHostImpl *self = HANGAR_HOST_IMPL (host);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  HangarMachine *machine;

  machine = hangar_engine_define (self->engine, xml, &error);
  if (machine == NULL)
    {
      g_dbus_method_invocation_return_gerror (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  path = hangar_engine_object_path (self->engine, machine);
  hangar_dbus_host1_complete_define_machine (host, invocation, path);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_lookup_machine (HangarDBusHost1       *host,
                       GDBusMethodInvocation *invocation,
                       const char            *name_or_uuid)
{
  HangarHostImpl *self = HANGAR_HOST_IMPL (host);
  HangarMachine *machine = hangar_engine_lookup (self->engine, name_or_uuid);
  g_autofree char *path = NULL;

  if (machine == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND,
                                             _("No machine is named “%s” or has that UUID."),
                                             name_or_uuid);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  path = hangar_engine_object_path (self->engine, machine);
  hangar_dbus_host1_complete_lookup_machine (host, invocation, path);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Lines of `-cpu help`: "x86 Skylake-Client     Intel Core Processor (Skylake)".
 * The versioned names (Skylake-Client-v2) and QEMU's own pseudo-models are left out:
 * people pick a CPU by its name, and host-passthrough has its own mode. */
static GStrv
parse_cpu_models (const char *text)
{
  static const char * const pseudo[] = { "base", "host", "max", NULL };
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;
      const char *name;

      if (!g_str_has_prefix (lines[i], "x86 "))
        continue;
      words = g_strsplit_set (lines[i] + 4, " \t", 2);
      name = words[0];
      if (*name == '\0' || g_strv_contains (pseudo, name) ||
          g_regex_match_simple ("-v[0-9]+$", name, 0, 0))
        continue;
      g_ptr_array_add (models, g_strdup (name));
    }
  g_ptr_array_sort (models, compare_names);
  g_ptr_array_add (models, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&models), FALSE);
}

static void
on_cpu_help (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(HangarHostImpl) self = user_data;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) models = NULL;

  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &out, NULL, &error))
    {
      g_debug ("qemu -cpu help: %s", error->message);
      return;
    }
  models = parse_cpu_models (out ? out : "");
  hangar_dbus_host1_set_cpu_models (HANGAR_DBUS_HOST1 (self), (const char * const *) models);
}

/* `qemu -cpu help` takes ~50 ms: asked in the background, so start-up does not wait. */
static void
read_cpu_models (HangarHostImpl *self,
                 const char     *qemu_binary)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  if (qemu_binary == NULL)
    return;
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, qemu_binary, "-cpu", "help", NULL);
  if (process == NULL)
    {
      g_debug ("qemu -cpu help: %s", error->message);
      return;
    }
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_cpu_help, g_object_ref (self));
}

static void
hangar_host_iface_init (HangarDBusHost1Iface *iface)
{
  iface->handle_define_machine = handle_define_machine;
  iface->handle_lookup_machine = handle_lookup_machine;
  _hangar_host_impl_create_iface_init (iface);
  _hangar_host_impl_stats_iface_init (iface);
  _hangar_host_impl_usb_iface_init (iface);
}

static void
hangar_host_impl_class_init (HangarHostImplClass *klass)
{
}

static void
hangar_host_impl_init (HangarHostImpl *self)
{
}

HangarEngine *
hangar_host_impl_get_engine (HangarHostImpl *self)
{
  return self->engine;
}

void
hangar_host_impl_sync_broken (HangarHostImpl *self)
{
  GPtrArray *broken = hangar_engine_get_broken (self->engine);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ss)"));
  for (guint i = 0; i < broken->len; i++)
    {
      HangarBrokenDefinition *entry = g_ptr_array_index (broken, i);
      g_variant_builder_add (&builder, "(ss)", entry->path, entry->message);
    }
  hangar_dbus_host1_set_broken_definitions (HANGAR_DBUS_HOST1 (self),
                                            g_variant_builder_end (&builder));
}

HangarHostImpl *
hangar_host_impl_new (HangarEngine *engine)
{
  const HangarCapabilities *caps = hangar_engine_get_capabilities (engine);
  HangarHostImpl *self = g_object_new (HANGAR_TYPE_HOST_IMPL, NULL);
  HangarDBusHost1 *host = HANGAR_DBUS_HOST1 (self);

  self->engine = engine;
  hangar_dbus_host1_set_hostname (host, caps->hostname);
  hangar_dbus_host1_set_engine_version (host, PACKAGE_VERSION);
  hangar_dbus_host1_set_qemu_version (host, caps->qemu_version ? caps->qemu_version : "");
  hangar_dbus_host1_set_qemu_binary (host, caps->qemu_binary ? caps->qemu_binary : "");
  hangar_dbus_host1_set_accelerators (host, (const char * const *) caps->accelerators);
  hangar_dbus_host1_set_default_accelerator (host, caps->default_accel);
  hangar_dbus_host1_set_machine_types (host, (const char * const *) caps->machine_types);
  hangar_dbus_host1_set_host_cpus (host, caps->host_cpus);
  hangar_dbus_host1_set_host_memory_kib (host, caps->host_memory_kib);
  read_cpu_models (self, caps->qemu_binary);
  hangar_host_impl_sync_broken (self);
  {
    g_autofree char *images = hangar_paths_images_dir ();

    hangar_dbus_host1_set_default_image_folder (host, images);
    hangar_dbus_host1_set_firmwares (host, (const char * const *) caps->firmwares);
  }
  _hangar_host_impl_stats_init (self);
  _hangar_host_impl_usb_init (self);
  return self;
}
