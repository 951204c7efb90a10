/* hangar-machine-list.c: an engine's machines as a list model
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A GListModel of the HangarDBusMachine1 proxies among a GDBusObjectManager's
 * objects, sorted by the name a person sees: the title when there is one, else the
 * name (then by name and object path, so the order is total). It follows the
 * manager: machines come and go with its objects, and a machine that is renamed or
 * retitled moves to its new place.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <string.h>

#include "hangar-dbus.h"

#include "hangar-machine-list.h"

struct _HangarMachineList
{
  GObject             parent_instance;

  GDBusObjectManager *manager;
  GSignalGroup       *manager_signals;
  GPtrArray          *machines;  /* HangarDBusMachine1, sorted by compare_machines () */
};

static void hangar_machine_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HangarMachineList, hangar_machine_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      hangar_machine_list_model_init))

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  MACHINE_STATE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
machine_path (HangarDBusMachine1 *machine)
{
  return g_dbus_proxy_get_object_path (G_DBUS_PROXY (machine));
}

/* What a person sees first, compared the way a person reads it. */
static GQuark
sort_key_quark (void)
{
  return g_quark_from_static_string ("hangar-machine-list-sort-key");
}

static char *
sort_key (HangarDBusMachine1 *machine)
{
  const char *title = hangar_dbus_machine1_get_title (machine);
  const char *name = hangar_dbus_machine1_get_name (machine);
  g_autofree char *folded = NULL;

  if (title == NULL || title[0] == '\0')
    title = name != NULL ? name : "";
  folded = g_utf8_casefold (title, -1);
  return g_utf8_collate_key (folded, -1);
}

/* The collation key, built once per name and title: sorting a thousand machines
 * compares each many times, and building keys was most of its cost. */
static const char *
cached_sort_key (HangarDBusMachine1 *machine)
{
  const char *key = g_object_get_qdata (G_OBJECT (machine), sort_key_quark ());

  if (key == NULL)
    {
      char *built = sort_key (machine);

      g_object_set_qdata_full (G_OBJECT (machine), sort_key_quark (), built, g_free);
      key = built;
    }
  return key;
}

static int
compare_machines (HangarDBusMachine1 *a,
                  HangarDBusMachine1 *b)
{
  int cmp;

  cmp = strcmp (cached_sort_key (a), cached_sort_key (b));
  if (cmp == 0)
    cmp = g_strcmp0 (hangar_dbus_machine1_get_name (a), hangar_dbus_machine1_get_name (b));
  if (cmp == 0)
    cmp = g_strcmp0 (machine_path (a), machine_path (b));
  return cmp;
}

static int
compare_machines_ptr (gconstpointer a,
                      gconstpointer b)
{
  return compare_machines (*(HangarDBusMachine1 **) a, *(HangarDBusMachine1 **) b);
}

/* Where @machine goes among the others: after every machine that sorts before it. */
static guint
find_insert_position (HangarMachineList  *self,
                      HangarDBusMachine1 *machine)
{
  guint low = 0;
  guint high = self->machines->len;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (compare_machines (g_ptr_array_index (self->machines, mid), machine) < 0)
        low = mid + 1;
      else
        high = mid;
    }

  return low;
}

static gboolean
find_by_path (HangarMachineList *self,
              const char        *path,
              guint             *position)
{
  for (guint i = 0; i < self->machines->len; i++)
    {
      if (g_strcmp0 (machine_path (g_ptr_array_index (self->machines, i)), path) == 0)
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

static void
items_changed (HangarMachineList *self,
               guint              position,
               guint              removed,
               guint              added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
on_machine_renamed (HangarDBusMachine1 *machine,
                    GParamSpec         *pspec,
                    HangarMachineList  *self)
{
  guint old_position;
  guint new_position;

  if (!g_ptr_array_find (self->machines, machine, &old_position))
    return;

  /* Take it out, and put it back where its new name sorts. */
  g_ptr_array_steal_index (self->machines, old_position);
  g_object_set_qdata (G_OBJECT (machine), sort_key_quark (), NULL);
  new_position = find_insert_position (self, machine);
  g_ptr_array_insert (self->machines, new_position, machine);

  if (new_position != old_position)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), old_position, 1, 0);
      g_list_model_items_changed (G_LIST_MODEL (self), new_position, 0, 1);
    }
}

static void
on_machine_state_changed (HangarDBusMachine1 *machine,
                          GParamSpec         *pspec,
                          HangarMachineList  *self)
{
  g_signal_emit (self, signals[MACHINE_STATE_CHANGED], 0, machine);
}

static void
unwatch_machine (HangarMachineList  *self,
                 HangarDBusMachine1 *machine)
{
  g_signal_handlers_disconnect_by_func (machine, on_machine_renamed, self);
  g_signal_handlers_disconnect_by_func (machine, on_machine_state_changed, self);
}

/* Stops watching the machines from @length on, and drops them. */
static void
truncate_machines (HangarMachineList *self,
                   guint              length)
{
  for (guint i = length; i < self->machines->len; i++)
    unwatch_machine (self, g_ptr_array_index (self->machines, i));
  g_ptr_array_set_size (self->machines, length);
}

/* The machine of @object, watched for renames; NULL when @object is no machine. */
static HangarDBusMachine1 *
take_machine (HangarMachineList *self,
              GDBusObject       *object)
{
  HangarDBusMachine1 *machine;

  if (!HANGAR_DBUS_IS_OBJECT (object))
    return NULL;

  machine = hangar_dbus_object_get_machine1 (HANGAR_DBUS_OBJECT (object));
  if (machine == NULL)
    return NULL;

  g_signal_connect_object (machine, "notify::name",
                           G_CALLBACK (on_machine_renamed), self, 0);
  g_signal_connect_object (machine, "notify::title",
                           G_CALLBACK (on_machine_renamed), self, 0);
  g_signal_connect_object (machine, "notify::state",
                           G_CALLBACK (on_machine_state_changed), self, 0);
  return machine;
}

static void
add_object (HangarMachineList *self,
            GDBusObject       *object)
{
  HangarDBusMachine1 *machine;
  guint position;

  if (find_by_path (self, g_dbus_object_get_object_path (object), &position))
    return;

  machine = take_machine (self, object);
  if (machine == NULL)
    return;

  position = find_insert_position (self, machine);
  g_ptr_array_insert (self->machines, position, machine);
  items_changed (self, position, 0, 1);
}

static void
remove_object (HangarMachineList *self,
               GDBusObject       *object)
{
  guint position;

  if (!find_by_path (self, g_dbus_object_get_object_path (object), &position))
    return;

  unwatch_machine (self, g_ptr_array_index (self->machines, position));
  g_ptr_array_remove_index (self->machines, position);
  items_changed (self, position, 1, 0);
}

static void
on_object_added (HangarMachineList  *self,
                 GDBusObject        *object,
                 GDBusObjectManager *manager)
{
  add_object (self, object);
}

static void
on_object_removed (HangarMachineList  *self,
                   GDBusObject        *object,
                   GDBusObjectManager *manager)
{
  remove_object (self, object);
}

static void
on_interface_added (HangarMachineList  *self,
                    GDBusObject        *object,
                    GDBusInterface     *interface,
                    GDBusObjectManager *manager)
{
  if (HANGAR_DBUS_IS_MACHINE1 (interface))
    add_object (self, object);
}

static void
on_interface_removed (HangarMachineList  *self,
                      GDBusObject        *object,
                      GDBusInterface     *interface,
                      GDBusObjectManager *manager)
{
  if (HANGAR_DBUS_IS_MACHINE1 (interface))
    remove_object (self, object);
}

static GType
hangar_machine_list_get_item_type (GListModel *model)
{
  return HANGAR_DBUS_TYPE_MACHINE1;
}

static guint
hangar_machine_list_get_n_items (GListModel *model)
{
  HangarMachineList *self = HANGAR_MACHINE_LIST (model);

  return self->machines->len;
}

static gpointer
hangar_machine_list_get_item (GListModel *model,
                              guint       position)
{
  HangarMachineList *self = HANGAR_MACHINE_LIST (model);

  if (position >= self->machines->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->machines, position));
}

static void
hangar_machine_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = hangar_machine_list_get_item_type;
  iface->get_n_items = hangar_machine_list_get_n_items;
  iface->get_item = hangar_machine_list_get_item;
}

static void
hangar_machine_list_dispose (GObject *object)
{
  HangarMachineList *self = HANGAR_MACHINE_LIST (object);

  if (self->manager_signals != NULL)
    g_signal_group_set_target (self->manager_signals, NULL);
  g_clear_object (&self->manager_signals);
  g_clear_object (&self->manager);
  if (self->machines != NULL)
    truncate_machines (self, 0);

  G_OBJECT_CLASS (hangar_machine_list_parent_class)->dispose (object);
}

static void
hangar_machine_list_finalize (GObject *object)
{
  HangarMachineList *self = HANGAR_MACHINE_LIST (object);

  g_clear_pointer (&self->machines, g_ptr_array_unref);

  G_OBJECT_CLASS (hangar_machine_list_parent_class)->finalize (object);
}

static void
hangar_machine_list_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HangarMachineList *self = HANGAR_MACHINE_LIST (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      g_value_set_object (value, self->manager);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->machines->len);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_machine_list_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HangarMachineList *self = HANGAR_MACHINE_LIST (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      hangar_machine_list_set_manager (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hangar_machine_list_class_init (HangarMachineListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hangar_machine_list_dispose;
  object_class->finalize = hangar_machine_list_finalize;
  object_class->get_property = hangar_machine_list_get_property;
  object_class->set_property = hangar_machine_list_set_property;

  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL,
                         G_TYPE_DBUS_OBJECT_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* GListModel has no such property before GLib 2.76; windows bind to this one. */
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HangarMachineList::machine-state-changed:
   * @machine: the #HangarDBusMachine1 whose State changed
   *
   * For views that sort or filter by state: the list itself keeps its order.
   */
  signals[MACHINE_STATE_CHANGED] =
    g_signal_new ("machine-state-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, HANGAR_DBUS_TYPE_MACHINE1);
}

static void
hangar_machine_list_init (HangarMachineList *self)
{
  self->machines = g_ptr_array_new_with_free_func (g_object_unref);

  self->manager_signals = g_signal_group_new (G_TYPE_DBUS_OBJECT_MANAGER);
  g_signal_group_connect_swapped (self->manager_signals, "object-added",
                                  G_CALLBACK (on_object_added), self);
  g_signal_group_connect_swapped (self->manager_signals, "object-removed",
                                  G_CALLBACK (on_object_removed), self);
  g_signal_group_connect_swapped (self->manager_signals, "interface-added",
                                  G_CALLBACK (on_interface_added), self);
  g_signal_group_connect_swapped (self->manager_signals, "interface-removed",
                                  G_CALLBACK (on_interface_removed), self);
}

/**
 * hangar_machine_list_new:
 *
 * An empty list; it lists machines once given a manager.
 */
HangarMachineList *
hangar_machine_list_new (void)
{
  return g_object_new (HANGAR_TYPE_MACHINE_LIST, NULL);
}

/**
 * hangar_machine_list_set_manager:
 * @manager: (nullable): the object manager to list the machines of
 *
 * Lists the machines of @manager instead of the current ones.
 */
void
hangar_machine_list_set_manager (HangarMachineList  *self,
                                 GDBusObjectManager *manager)
{
  g_autolist(GDBusObject) objects = NULL;
  guint removed;

  g_return_if_fail (HANGAR_IS_MACHINE_LIST (self));
  g_return_if_fail (manager == NULL || G_IS_DBUS_OBJECT_MANAGER (manager));

  if (self->manager == manager)
    return;

  removed = self->machines->len;
  truncate_machines (self, 0);

  g_set_object (&self->manager, manager);
  g_signal_group_set_target (self->manager_signals, manager);

  if (manager != NULL)
    objects = g_dbus_object_manager_get_objects (manager);
  for (const GList *l = objects; l != NULL; l = l->next)
    {
      HangarDBusMachine1 *machine = take_machine (self, l->data);

      if (machine != NULL)
        g_ptr_array_add (self->machines, machine);
    }
  g_ptr_array_sort (self->machines, compare_machines_ptr);

  items_changed (self, 0, removed, self->machines->len);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MANAGER]);
}

/**
 * hangar_machine_list_get_manager:
 *
 * Returns: (transfer none) (nullable): the object manager listed
 */
GDBusObjectManager *
hangar_machine_list_get_manager (HangarMachineList *self)
{
  g_return_val_if_fail (HANGAR_IS_MACHINE_LIST (self), NULL);

  return self->manager;
}
